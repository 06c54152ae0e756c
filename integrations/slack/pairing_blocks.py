"""Block Kit for pairing: the check-in buttons."""

from integrations.slack.blocks import button, section

OUTCOME_ACTIONS = {
    "pairing_met": ("We met", "met"),
    "pairing_not_yet": ("Not yet", "not_yet"),
    "pairing_could_not": ("We couldn't", "could_not"),
}


def checkin_blocks(group_id: int, text: str) -> list[dict]:
    buttons = [
        button(action_id, label, str(group_id)) for action_id, (label, _) in OUTCOME_ACTIONS.items()
    ]
    return [section(text), {"type": "actions", "block_id": "pairing_checkin", "elements": buttons}]
