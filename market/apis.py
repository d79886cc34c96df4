"""The market's API (API.md, "The market"): thin views over market.services."""

import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from market import selectors
from market.certificate import certificate_pdf
from market.models import MarketRules
from market.permissions import (
    handles_deposits,
    may_download_certificate,
    may_edit_calendar,
    may_edit_rules,
    sees_listing_parties,
)
from market.serializers import (
    AuctionSerializer,
    BidAnswerSerializer,
    BidInSerializer,
    BidSerializer,
    CalendarDaySerializer,
    DecisionSerializer,
    DepositSerializer,
    IntentSerializer,
    ListingSerializer,
    ReceiptSerializer,
    RegistrationSerializer,
    RulesSerializer,
)
from market.services import auctions, bids, deposits, listings, rules, sweep
from portal.core import ratelimit
from portal.core.api import ReasonSerializer, service_action
from portal.core.errors import TransitionNotAllowed
from portal.core.models import CalendarDay
from portal.core.pdf import FontMissing


class ReadOrCentralStaff(permissions.BasePermission):
    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or may_edit_rules(request.user)


class RulesApi(APIView):
    permission_classes = [ReadOrCentralStaff]

    @extend_schema(responses=RulesSerializer)
    def get(self, request):
        return Response(RulesSerializer(MarketRules.current()).data)

    @extend_schema(request=RulesSerializer, responses=RulesSerializer)
    def put(self, request):
        body = RulesSerializer(MarketRules.current(), data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changed = rules.rules_update(by=request.user, data=body.validated_data)
        return Response(RulesSerializer(changed).data)


class CalendarApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("year", int)], responses=CalendarDaySerializer(many=True)
    )
    def get(self, request):
        raw = request.query_params.get("year", "")
        if raw and (not raw.isdigit() or not 2000 <= int(raw) <= 2100):
            raise ValidationError({"year": [_("Give a year such as 2026.")]})
        year = int(raw) if raw else datetime.date.today().year
        days = CalendarDay.objects.filter(date__year=year).order_by("date")
        return Response(CalendarDaySerializer(days, many=True).data)

    @extend_schema(request=CalendarDaySerializer, responses={201: CalendarDaySerializer})
    def post(self, request):
        if not may_edit_calendar(request.user):
            return Response(
                {"detail": _("Central staff keep the working-day calendar.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        body = CalendarDaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        day = rules.calendar_set(by=request.user, **body.validated_data)
        return Response(CalendarDaySerializer(day).data, status=status.HTTP_201_CREATED)


def _pdf(subject) -> HttpResponse:
    try:
        pdf = certificate_pdf(subject)
    except FontMissing:
        return Response(
            {"detail": _("The server has no Chinese font to print the certificate.")},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{subject.certificate_number}.pdf"'
    return response


def certificate_response(request, subject):
    if not subject.certificate_number:
        raise TransitionNotAllowed(
            _("The certificate is issued once the deal's contract is registered.")
        )
    if not may_download_certificate(request.user, subject):
        return Response(status=status.HTTP_404_NOT_FOUND)
    return _pdf(subject)


class ListingViewSet(viewsets.ModelViewSet):
    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["status", "trade_mode", "holder"]
    ordering_fields = ["created_at", "notice_ends_on", "listing_price"]

    def get_queryset(self):
        return selectors.listings_visible_to(self.request.user).order_by("-id")

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        listing = listings.listing_create(by=request.user, data=body.validated_data)
        return Response(self.get_serializer(listing).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        listing = self.get_object()
        body = self.get_serializer(listing, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "achievement"}
        if listing.in_notice:
            listing = listings.listing_revise(listing=listing, by=request.user, data=data)
        else:
            listing = listings.listing_update(listing=listing, by=request.user, data=data)
        return Response(self.get_serializer(listing).data)

    def _done(self, listing):
        return Response(self.get_serializer(self.get_queryset().get(pk=listing.pk)).data)

    submit = service_action("submit", listings.listing_submit, "listing")
    approve = service_action("approve", listings.listing_approve, "listing")
    reject = service_action("reject", listings.listing_reject, "listing", body=ReasonSerializer)
    send_back = service_action(
        "send_back", listings.listing_send_back, "listing", body=ReasonSerializer
    )
    withdraw = service_action(
        "withdraw", listings.listing_withdraw, "listing", body=ReasonSerializer
    )
    suspend = service_action("suspend", listings.listing_suspend, "listing", body=ReasonSerializer)
    resume = service_action("resume", listings.listing_resume, "listing")
    close_notice = service_action("close_notice", listings.listing_close_notice, "listing")
    confirm = service_action("confirm", listings.listing_confirm, "listing")
    decline = service_action("decline", listings.listing_decline, "listing", body=ReasonSerializer)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        responses=ListingSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def decision_document(self, request, pk=None):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose the decision document (PDF).")]})
        return self._done(
            listings.listing_attach_decision(
                listing=self.get_object(), by=request.user, upload=upload
            )
        )

    @extend_schema(methods=["get"], responses=IntentSerializer(many=True))
    @extend_schema(methods=["post"], request=IntentSerializer, responses={201: IntentSerializer})
    @action(detail=True, methods=["get", "post"], permission_classes=[permissions.IsAuthenticated])
    def intents(self, request, pk=None):
        listing = self.get_object()
        if request.method == "GET":
            rows = selectors.intents_visible_to(request.user).filter(listing=listing)
            return Response(IntentSerializer(rows, many=True).data)
        body = IntentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        intent = listings.intent_register(
            listing=listing, by=request.user, note=body.validated_data.get("note", "")
        )
        return Response(IntentSerializer(intent).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DepositSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def deposits(self, request, pk=None):
        listing = self.get_object()
        rows = selectors.deposits_visible_to(request.user).filter(listing=listing)
        if not (
            handles_deposits(request.user, listing) or sees_listing_parties(request.user, listing)
        ):
            rows = rows.filter(organization_id=request.user.organization_id)
        return Response(DepositSerializer(rows, many=True).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def certificate(self, request, pk=None):
        return certificate_response(request, self.get_object())


class PartyActions:
    """`qualify`, `disqualify` (`{"reason"}`) and `deposit_received`
    (`{"received_on"}`, staff) of a party that owes a deposit: a listing's
    intended transferee or a lot's registration. A viewset gives `_decide`
    and `_done`."""

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def qualify(self, request, pk=None):
        return self._done(self._decide(self.get_object(), request.user, True))

    @extend_schema(request=DecisionSerializer)
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        party = self._decide(self.get_object(), request.user, False, body.validated_data["reason"])
        return self._done(party)

    @extend_schema(request=ReceiptSerializer)
    @action(detail=True, methods=["post"])
    def deposit_received(self, request, pk=None):
        party = self.get_object()
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deposits.deposit_receive(
            deposit=party.deposit,
            by=request.user,
            received_on=body.validated_data.get("received_on"),
        )
        return self._done(party)


class IntentViewSet(PartyActions, viewsets.GenericViewSet):
    serializer_class = IntentSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.intents_visible_to(self.request.user)

    def _done(self, intent):
        return Response(IntentSerializer(self.get_queryset().get(pk=intent.pk)).data)

    def _decide(self, intent, by, qualified: bool, reason: str = ""):
        return listings.intent_qualify(intent=intent, by=by, qualified=qualified, reason=reason)


class AuctionViewSet(viewsets.ModelViewSet):
    serializer_class = AuctionSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["status", "seller"]
    ordering_fields = ["starts_at", "ends_at", "starting_price"]

    def get_queryset(self):
        return selectors.auctions_visible_to(self.request.user).order_by("-id")

    def retrieve(self, request, *args, **kwargs):
        lot = self.get_object()
        lot = sweep.close_if_due(lot)
        return Response(self.get_serializer(lot).data)

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        lot = auctions.auction_create(by=request.user, data=body.validated_data)
        return Response(self.get_serializer(lot).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        lot = self.get_object()
        body = self.get_serializer(lot, data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        lot = auctions.auction_update(auction=lot, by=request.user, data=body.validated_data)
        return Response(self.get_serializer(lot).data)

    def _done(self, lot):
        return Response(self.get_serializer(self.get_queryset().get(pk=lot.pk)).data)

    submit = service_action("submit", auctions.auction_submit, "auction")
    approve = service_action("approve", auctions.auction_approve, "auction")
    reject = service_action("reject", auctions.auction_reject, "auction", body=ReasonSerializer)
    cancel = service_action("cancel", auctions.auction_cancel, "auction", body=ReasonSerializer)
    close = service_action("close", auctions.auction_close, "auction")
    confirm = service_action("confirm", auctions.auction_confirm, "auction")
    default = service_action("default", auctions.auction_default, "auction", body=ReasonSerializer)

    @extend_schema(methods=["get"], responses=RegistrationSerializer(many=True))
    @extend_schema(methods=["post"], request=None, responses={201: RegistrationSerializer})
    @action(detail=True, methods=["get", "post"], permission_classes=[permissions.IsAuthenticated])
    def registrations(self, request, pk=None):
        lot = self.get_object()
        if request.method == "GET":
            rows = selectors.registrations_visible_to(request.user).filter(auction=lot)
            return Response(RegistrationSerializer(rows, many=True).data)
        registration = auctions.registration_create(auction=lot, by=request.user)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=BidSerializer(many=True), request=None)
    @extend_schema(
        methods=["post"],
        request=BidInSerializer,
        responses={
            201: BidAnswerSerializer,
            200: BidAnswerSerializer,
            409: inline_serializer(
                "BidRefusal", {"code": serializers.CharField(), "detail": serializers.CharField()}
            ),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[permissions.IsAuthenticatedOrReadOnly],
    )
    def bids(self, request, pk=None):
        lot = self.get_object()
        if request.method == "GET":
            rows = selectors.accepted_bids(lot)[:200]
            return Response(BidSerializer(rows, many=True).data)
        try:
            ratelimit.check(request, "bid")
        except ratelimit.RateLimited as exc:  # a refusal like the others (MARKET.md §2.4)
            limited = Response({"code": "rate_limited", "detail": exc.message}, status=429)
            limited["Retry-After"] = str(exc.retry_after)
            return limited
        body = BidInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid, created = bids.bid_place(
            auction=lot,
            by=request.user,
            amount=body.validated_data["amount"],
            request_id=body.validated_data["request_id"],
        )
        if not bid.accepted:
            code = status.HTTP_409_CONFLICT if bid.refusal in bids.CONFLICTS else 400
            return Response(
                {"code": bid.refusal, "detail": bids.refusal_text(bid.refusal)}, status=code
            )
        answer = BidAnswerSerializer(bid).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses=DepositSerializer(many=True))
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def deposits(self, request, pk=None):
        lot = self.get_object()
        rows = selectors.deposits_of(lot).filter(
            pk__in=selectors.deposits_visible_to(request.user).values("pk")
        )
        return Response(DepositSerializer(rows, many=True).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated])
    def certificate(self, request, pk=None):
        lot = self.get_object()
        return certificate_response(request, lot.listing if lot.listing_id else lot)


class RegistrationViewSet(PartyActions, viewsets.GenericViewSet):
    serializer_class = RegistrationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.registrations_visible_to(self.request.user)

    def _done(self, registration):
        return Response(RegistrationSerializer(self.get_queryset().get(pk=registration.pk)).data)

    def _decide(self, registration, by, qualified: bool, reason: str = ""):
        return auctions.registration_qualify(
            registration=registration, by=by, qualified=qualified, reason=reason
        )


class DepositViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepositSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["status"]

    def get_queryset(self):
        return selectors.deposits_visible_to(self.request.user).order_by("-id")

    def _done(self, deposit):
        return Response(DepositSerializer(self.get_queryset().get(pk=deposit.pk)).data)

    refunded = service_action("refunded", deposits.deposit_refunded, "deposit")
