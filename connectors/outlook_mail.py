"""Mail from one mailbox through Microsoft Graph (`sendMail`): the nightly check's escalation.

It signs in and reaches Graph like the calendar (`connectors.graph_client`);
what differs is the retry: a mail sent twice cannot be unsent, so `sendMail`
is repeated only when Graph said it did not process it (429, 503), never
after an answer that was lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from msgraph import GraphServiceClient
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.message import Message
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.users.item.send_mail.send_mail_post_request_body import (
    SendMailPostRequestBody,
)

from connectors.graph_client import (
    GraphApp,
    graph_call,
    graph_errors,
    graph_session,
)
from connectors.http import RequestCounter, RetryPolicy


@dataclass
class OutlookMailer:
    """Sends HTML mail from one mailbox, kept in its Sent Items."""

    app: GraphApp
    mailbox: str
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    counter: RequestCounter = field(default_factory=RequestCounter)

    def send_mail(self, to: Sequence[str], subject: str, html: str) -> None:
        """Send one mail to `to`; a `GraphCallFailed` says why it was not (or may not be) sent."""
        if not to:
            raise ValueError("a mail needs at least one recipient")
        asyncio.run(self._send(to, subject, html))

    async def _send(self, to: Sequence[str], subject: str, html: str) -> None:
        message = Message(
            subject=subject,
            body=ItemBody(content_type=BodyType.Html, content=html),
            to_recipients=[Recipient(email_address=EmailAddress(address=a)) for a in to],
        )
        body = SendMailPostRequestBody(message=message, save_to_sent_items=True)
        policy = replace(self.policy, retry_unsafe_methods=False)
        async with graph_session(self.app, policy=policy, counter=self.counter) as adapter:
            user = GraphServiceClient(request_adapter=adapter).users.by_user_id(self.mailbox)
            errors = graph_errors(self.app, self.mailbox)
            await graph_call(lambda: user.send_mail.post(body), "sendMail", errors)
