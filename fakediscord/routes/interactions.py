"""Answering interactions: the callback, then the interaction webhook's original message and followups.

These routes authenticate by the interaction token, not the bot token, and stop working when Discord's
deadlines pass (3 s to answer, 15 minutes for the webhook), which is what a slow bot runs into.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from fakediscord import interactions as ix
from fakediscord import rules
from fakediscord.backend import Backend
from fakediscord.routes.family import JSON, Answer, Call, Route, RouteFamily
from fakediscord.routes.messages import apply_edit
from fakediscord.world import FLAG_EPHEMERAL, FLAG_LOADING, Message

log = logging.getLogger(__name__)

WEBHOOK_LIFETIME = 15 * 60.0
ALLOWED_CALLBACKS: dict[int, set[int]] = {
    ix.APPLICATION_COMMAND: {ix.CHANNEL_MESSAGE, ix.DEFERRED_CHANNEL_MESSAGE, ix.MODAL},
    ix.MESSAGE_COMPONENT: {
        ix.CHANNEL_MESSAGE,
        ix.DEFERRED_CHANNEL_MESSAGE,
        ix.DEFERRED_UPDATE_MESSAGE,
        ix.UPDATE_MESSAGE,
        ix.MODAL,
    },
    ix.AUTOCOMPLETE: {ix.AUTOCOMPLETE_RESULT},
    ix.MODAL_SUBMIT: {
        ix.CHANNEL_MESSAGE,
        ix.DEFERRED_CHANNEL_MESSAGE,
        ix.DEFERRED_UPDATE_MESSAGE,
        ix.UPDATE_MESSAGE,
    },
}


def create_interaction_message(
    fd: Backend, interaction: ix.Interaction, data: JSON, attachments: list[JSON], *, flags: int, followup: bool = False
) -> Message:
    """The bot's answer in the interaction's channel, posted as the application's webhook would."""
    return fd.events.create_message(
        interaction.channel,
        fd.bot_user,
        content=data.get("content") or "",
        embeds=data.get("embeds") or [],
        components=data.get("components") or [],
        flags=flags,
        allowed_mentions=data.get("allowed_mentions"),
        tts=bool(data.get("tts")),
        attachments=attachments,
        webhook_id=fd.application_id,
        application_id=fd.application_id,
        interaction_metadata=ix.interaction_metadata(interaction),
        type=0 if followup else 20,
    )


class InteractionRoutes(RouteFamily):
    def routes(self) -> Iterable[Route]:
        webhook = "/webhooks/{application_id}/{token}"
        yield Route(
            "POST", "/interactions/{interaction_id}/{token}/callback", self.callback, bot_auth=False, global_limit=False
        )
        for method, handler in (
            ("GET", self.get_webhook_message),
            ("PATCH", self.edit_webhook_message),
            ("DELETE", self.delete_webhook_message),
        ):
            for which in ("@original", "{message_id}"):
                yield Route(method, f"{webhook}/messages/{which}", handler, bot_auth=False, global_limit=False)
        yield Route("POST", webhook, self.post_followup, bot_auth=False, global_limit=False)

    def _interaction_by_token(self, call: Call) -> ix.Interaction:
        if int(call.params["application_id"]) != self.fd.application_id:
            raise rules.unknown_webhook()
        interaction = self.fd.interactions_by_token.get(call.params["token"])
        if interaction is None:
            raise rules.unknown_webhook()
        if self.fd.clock.now() - interaction.created > WEBHOOK_LIFETIME:
            raise rules.invalid_webhook_token()
        return interaction

    async def callback(self, call: Call) -> Answer:
        fd = self.fd
        interaction = fd.interactions.get(int(call.params["interaction_id"]))
        if interaction is None or interaction.token != call.params["token"]:
            raise rules.unknown_interaction()
        if interaction.acknowledged:
            raise rules.already_acknowledged()
        if fd.clock.now() - interaction.created > fd.interaction_deadline:
            log.info("interaction %s answered after its %.1f s deadline", interaction.id, fd.interaction_deadline)
            raise rules.unknown_interaction()
        body: JSON = call.body or {}
        kind = body.get("type")
        data: JSON = body.get("data") or {}
        if kind not in ALLOWED_CALLBACKS[interaction.type]:
            errors = rules.FormErrors()
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid interaction response type {kind}")
            errors.raise_if_any()
        resource: JSON | None = None
        flags = int(data.get("flags") or 0)
        if kind == ix.CHANNEL_MESSAGE:
            rules.check_message({**data, "attachments": call.attachments or data.get("attachments")}, creating=True)
            msg = create_interaction_message(fd, interaction, data, call.attachments, flags=flags)
            interaction.original_id = msg.id
            resource = {"type": kind, "message": self.world.rest_message_payload(msg)}
        elif kind == ix.DEFERRED_CHANNEL_MESSAGE:
            msg = create_interaction_message(fd, interaction, {}, [], flags=(flags & FLAG_EPHEMERAL) | FLAG_LOADING)
            interaction.original_id = msg.id
            # no resource: Discord's callback response carries one only for types 4 and 7 (the message sent)
        elif kind in (ix.DEFERRED_UPDATE_MESSAGE, ix.UPDATE_MESSAGE):
            source = self.world.find_message(interaction.source_message_id or 0)
            if source is None:
                raise rules.unknown_message()
            interaction.original_id = source.id
            if kind == ix.UPDATE_MESSAGE:
                apply_edit(source, data, call.attachments)
                fd.events.message_changed(source)
                resource = {"type": kind, "message": self.world.rest_message_payload(source)}
        elif kind == ix.AUTOCOMPLETE_RESULT:
            choices = data.get("choices") or []
            errors = rules.FormErrors()
            if len(choices) > rules.OPTION_CHOICES:
                errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            errors.raise_if_any()
            interaction.choices = choices
        elif kind == ix.MODAL:
            interaction.modal = data
        interaction.response_type = kind
        original = self.world.find_message(interaction.original_id or 0)
        callback: JSON = {"id": str(interaction.id), "type": interaction.type}
        if original is not None:
            callback["response_message_id"] = str(original.id)
            callback["response_message_loading"] = original.loading
            callback["response_message_ephemeral"] = original.ephemeral
        fd.events.notify()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        answer: JSON = {"interaction": callback}
        if resource is not None:
            answer["resource"] = resource
        return 200, answer

    def _webhook_message(self, interaction: ix.Interaction, call: Call) -> Message:
        raw = call.params.get("message_id")
        message_id = interaction.original_id if raw is None else int(raw)
        if raw is not None and int(raw) not in interaction.followup_ids and int(raw) != interaction.original_id:
            raise rules.unknown_message()
        msg = self.world.find_message(message_id or 0)
        if msg is None or msg.deleted:
            raise rules.unknown_message()
        return msg

    async def get_webhook_message(self, call: Call) -> Answer:
        interaction = self._interaction_by_token(call)
        return 200, self.world.rest_message_payload(self._webhook_message(interaction, call))

    async def edit_webhook_message(self, call: Call) -> Answer:
        interaction = self._interaction_by_token(call)
        msg = self._webhook_message(interaction, call)
        apply_edit(msg, call.body or {}, call.attachments)
        self.fd.events.message_changed(msg)
        return 200, self.world.rest_message_payload(msg)

    async def delete_webhook_message(self, call: Call) -> Answer:
        interaction = self._interaction_by_token(call)
        msg = self._webhook_message(interaction, call)
        self.fd.events.remove_message(self.world.any_channel(msg.channel_id), msg)
        return 204, None

    async def post_followup(self, call: Call) -> Answer:
        fd = self.fd
        interaction = self._interaction_by_token(call)
        if not interaction.acknowledged:
            raise rules.unknown_webhook()
        body: JSON = call.body or {}
        rules.check_message({**body, "attachments": call.attachments or body.get("attachments")}, creating=True)
        original = self.world.find_message(interaction.original_id or 0)
        if original is not None and original.loading:
            # Discord's rule: the first followup after a deferral fills in the "thinking" message.
            apply_edit(original, body, call.attachments)
            original.flags &= ~FLAG_LOADING
            fd.events.message_changed(original)
            msg = original
        else:
            msg = create_interaction_message(
                fd, interaction, body, call.attachments, flags=int(body.get("flags") or 0), followup=True
            )
            interaction.followup_ids.append(msg.id)
        if call.query.get("wait") in ("1", "true", "True"):
            return 200, self.world.rest_message_payload(msg)
        return 204, None
