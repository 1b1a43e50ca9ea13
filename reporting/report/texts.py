"""The texts the strategy department writes for the report, in the report's order.

Each has a key for its address: sammanfattning, inledning, viljeinriktning-N (one per
direction of the cycle's programme) and fortsatt-arbete.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import Cycle, ReportText

Part = ReportText.Part


@dataclass
class Slot:
    key: str
    part: str
    direction: object
    title: str
    text: ReportText | None

    @property
    def written(self) -> bool:
        return bool(self.text and self.text.text.strip())

    @property
    def ready(self) -> bool:
        return bool(self.text and self.text.ready and self.written)

    @property
    def revision(self) -> int:
        return self.text.revision if self.text else 0


def direction_key(direction) -> str:
    return f"viljeinriktning-{direction.number}"


def slots(cycle: Cycle) -> list[Slot]:
    """Every text of the report, written or not, in two queries."""
    texts = {(t.part, t.direction_id): t for t in cycle.report_texts.select_related("updated_by")}
    directions = list(cycle.programme.directions.order_by("number"))
    result = [
        Slot("sammanfattning", Part.SUMMARY, None, _("Summary"), texts.get((Part.SUMMARY, None))),
        Slot(
            "inledning",
            Part.INTRODUCTION,
            None,
            _("Introduction"),
            texts.get((Part.INTRODUCTION, None)),
        ),
    ]
    for direction in directions:
        result.append(
            Slot(
                direction_key(direction),
                Part.DIRECTION,
                direction,
                str(direction),
                texts.get((Part.DIRECTION, direction.pk)),
            )
        )
    result.append(
        Slot(
            "fortsatt-arbete",
            Part.FURTHER_WORK,
            None,
            _("Further work"),
            texts.get((Part.FURTHER_WORK, None)),
        )
    )
    return result


def slot(cycle: Cycle, key: str) -> Slot | None:
    return next((s for s in slots(cycle) if s.key == key), None)
