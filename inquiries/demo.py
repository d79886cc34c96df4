"""Demo inquiries for `load_demo`: one answered and accepted, one waiting."""

from accounts.models import User
from achievements.models import Achievement
from inquiries import services
from inquiries.models import Inquiry


def load_inquiries(orgs: dict) -> int:
    if Inquiry.objects.exists():
        return Inquiry.objects.count()
    asker, owner = User.objects.get(username="optic_ent"), User.objects.get(username="hust_officer")
    published = Achievement.objects.filter(
        organization=orgs["hust"], status=Achievement.Status.PUBLISHED
    ).order_by("-id")
    items = list(published[:2])
    if len(items) < 2:
        return 0
    talking, _created = services.inquiry_send(
        by=asker,
        subject_type=Inquiry.SubjectType.ACHIEVEMENT,
        subject_id=items[0].pk,
        kind=Inquiry.Kind.LICENSE,
        message="我司希望以普通许可方式实施该技术，能否安排一次技术交流？（示范）",
    )
    services.message_post(
        inquiry=talking, by=owner, text="欢迎，我们下周可安排课题组与贵司交流。（示范）"
    )
    services.inquiry_accept(inquiry=talking, by=owner)
    services.inquiry_send(
        by=asker,
        subject_type=Inquiry.SubjectType.ACHIEVEMENT,
        subject_id=items[1].pk,
        kind=Inquiry.Kind.CO_DEVELOPMENT,
        message="希望就该成果开展联合开发，并请技术经纪人协助。（示范）",
        broker_requested=True,
    )
    return Inquiry.objects.count()
