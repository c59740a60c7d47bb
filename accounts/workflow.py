"""What every workflow of the portal shares, whatever its chain (§9 applications, §8 interventions).

- ``actor_transition``: django-fsm-2's ``transition`` on the ``state`` field, whose method also
  checks ``permission(instance, by)`` when it runs, so a direct call cannot skip the role check
  (C17). ``custom`` carries the step's Persian labels: ``button`` (the action form) and ``history``
  (the audit trail, notifications and the admin).
- ``WorkflowModel``: the abstract base of a chain's workflow model. It refuses lost updates
  (``ConcurrentTransitionMixin``) and gives the Persian label of each audit action and state.
- ``transition_check`` and ``transition_fire``: what a service does around a transition: refuse a
  stale, impossible or forbidden step, then run it, stamp the time and save.

A chain's own ``workflow.py`` declares its states and one decorated method per transition on an
abstract model that inherits ``WorkflowModel``; its services call these two helpers.
"""

import functools

import django_fsm
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, ConcurrentTransitionMixin, can_proceed, has_transition_perm

from common.errors import NotAllowed, RuleBroken, StaleState, TransitionNotAllowed
from common.normalization import normalize_text


def actor_transition(*, source, target, permission, custom, conditions=None):
    """Decorate a transition method ``method(self, *, by, …)`` of the ``state`` field.

    ``permission(instance, user) -> bool`` says who may take the step; it is checked by
    django-fsm's ``has_transition_perm`` (to offer the step) and again when the method runs, which
    raises ``NotAllowed`` for anyone else and leaves the state as it was. ``custom`` is
    ``{"button": …, "history": …}``: the step's Persian labels.
    """

    def decorate(func):
        @functools.wraps(func)
        def checked(self, *args, by, **kwargs):
            if not permission(self, by):
                raise NotAllowed()
            return func(self, *args, by=by, **kwargs)

        return django_fsm.transition(field="state", source=source, target=target, permission=permission,
                                     conditions=conditions or [], custom=custom)(checked)

    return decorate


class WorkflowModel(ConcurrentTransitionMixin, models.Model):
    """Abstract base of a chain's workflow model: a protected FSM field named ``state``, transitions
    decorated with ``actor_transition``, and ``other_action_labels`` for the audit actions that
    change no state (a document uploaded)."""

    other_action_labels: dict = {}

    class Meta:
        abstract = True

    @classmethod
    def transitions(cls):
        """Every transition of the ``state`` field: django-fsm ``Transition`` objects, one per source state."""
        return cls._meta.get_field("state").get_all_transitions(cls)

    @classmethod
    def _custom(cls, name: str) -> dict:
        return next((t.custom for t in cls.transitions() if t.name == name), {})

    @classmethod
    def action_label(cls, code: str):
        """The Persian label of an audit action: a transition's ``history`` label, one of
        ``other_action_labels``, or ``code`` itself when it is neither."""
        return cls._custom(code).get("history") or cls.other_action_labels.get(code, code)

    @classmethod
    def button_label(cls, name: str):
        """The Persian label of the button that takes transition ``name``."""
        return cls._custom(name)["button"]

    @classmethod
    def state_label(cls, code: str):
        """The Persian label of a state code; empty for none or an unknown code."""
        return dict(cls._meta.get_field("state").choices).get(code, "")

    def available_transitions(self, user) -> list:
        """The transitions ``user`` may take from the current state (django-fsm ``Transition``s)."""
        return list(self.get_available_user_state_transitions(user))


def transition_check(instance, name: str, *, actor, expected_state=None) -> None:
    """Refuse transition ``name`` of ``instance`` (row locked by the caller) before anything is
    checked or written: ``StaleState`` when ``expected_state`` (the state the actor saw) differs,
    ``TransitionNotAllowed`` when the current state has no such step, ``NotAllowed`` when
    ``actor`` may not take it (C17)."""
    if expected_state is not None and instance.state != expected_state:
        raise StaleState()
    method = getattr(instance, name)
    if not can_proceed(method):
        raise TransitionNotAllowed()
    if not has_transition_perm(method, actor):
        raise NotAllowed()


def transition_fire(instance, name: str, *, actor, **params) -> str:
    """Run transition ``name`` of ``instance`` as ``actor`` with the method's ``params``, stamp
    ``state_changed_at`` and save. Returns the state it left.

    Call inside the service's transaction, after ``transition_check``. Raises ``StaleState`` when
    another transaction changed the state meanwhile (C16), ``TransitionNotAllowed`` or
    ``NotAllowed`` as ``transition_check`` does.
    """
    from_state = instance.state
    try:
        getattr(instance, name)(by=actor, **params)
        instance.state_changed_at = timezone.now()
        instance.save()
    except ConcurrentTransition:
        raise StaleState() from None
    except django_fsm.TransitionNotAllowed:
        raise TransitionNotAllowed() from None
    return from_state


def required_reason(reason) -> str:
    """``reason`` normalised; raises ``RuleBroken`` (field ``reason``) when it is empty. Rejections
    and returns must say why, in either chain (roles.md)."""
    reason = normalize_text(reason)
    if not reason:
        raise RuleBroken(_("ذکر دلیل برای این اقدام الزامی است."), field="reason")
    return reason
