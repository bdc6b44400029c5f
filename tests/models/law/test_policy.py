"""The dunning policy as data: defaults, offsets spelled out, validation."""

from dataclasses import replace

from models.law.policy import (
    DEFAULT_POLICY,
    Step,
    policy_from_json,
    policy_to_json,
    validate_policy,
)


def messages(policy):
    return " | ".join(e.message for e in validate_policy(policy))


def test_default_policy_is_valid_and_round_trips():
    assert validate_policy(DEFAULT_POLICY) == []
    assert policy_from_json(policy_to_json(DEFAULT_POLICY)) == DEFAULT_POLICY
    offsets = {s.code: s.offset_days for s in DEFAULT_POLICY.steps}
    assert offsets == {
        "check_receipt": 7,
        "preventive": -7,
        "courtesy_call": 1,
        "reminder_1": 7,
        "reminder_2": 15,
        "reminder_3": 25,
        "formal_notice": 30,
        "legal_action": 38,
    }


def test_offsets_read_unambiguously():
    steps = {s.code: s for s in DEFAULT_POLICY.steps}
    assert steps["preventive"].when_text() == "7 jours avant l'échéance"
    assert steps["courtesy_call"].when_text() == "1 jour après l'échéance"
    assert steps["check_receipt"].when_text() == "7 jours après l'envoi de la facture"
    assert Step("x", "X", 0, "call").when_text() == "le jour de l'échéance"


def test_out_of_order_offsets_refused():
    steps = list(DEFAULT_POLICY.steps)
    steps[4] = replace(steps[4], offset_days=5)  # reminder 2 before reminder 1
    assert "désordre" in messages(replace(DEFAULT_POLICY, steps=tuple(steps)))


def test_same_day_same_channel_refused():
    steps = list(DEFAULT_POLICY.steps)
    steps[4] = replace(steps[4], offset_days=7, channel="email")  # same as reminder 1
    assert "même jour sur le même canal" in messages(replace(DEFAULT_POLICY, steps=tuple(steps)))


def test_formal_notice_before_any_reminder_refused():
    steps = tuple(s for s in DEFAULT_POLICY.steps if not s.code.startswith("reminder"))
    assert "ne peut pas précéder toute relance" in messages(replace(DEFAULT_POLICY, steps=steps))


def test_unknown_channel_and_duplicate_code_refused():
    steps = (*DEFAULT_POLICY.steps, Step("reminder_1", "Fax", 40, "fax"))
    text = messages(replace(DEFAULT_POLICY, steps=steps))
    assert "canal inconnu « fax »" in text
    assert "déjà utilisé" in text
