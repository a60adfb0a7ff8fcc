-- Finished deliveries (sent or dropped) are forgotten after a retention period so the outbox stops growing with
-- every post; this index lets the pruning find the old ones without reading the whole table.
CREATE INDEX deliveries_by_age ON deliveries (created_at);
