"""Who may do what to contracts, payments, rewards and subsidies: the
predicates the services, the selectors, the API, the pages and the templates
use alike."""

from accounts.models import Organization
from accounts.permissions import acts_for, administers, in_scope, is_central, is_member, is_staff
from contracts.models import Contract, SubsidyApplication

REWARDING_SELLERS = (Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE)


def is_party(user, contract: Contract) -> bool:
    """A member (of any role) of the buyer or the seller: sees the contract."""
    return is_member(user, contract.buyer_id) or is_member(user, contract.seller_id)


def is_contract_broker(user, contract: Contract) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and contract.broker_id == user.pk


def may_draft(user, contract: Contract) -> bool:
    """The parties' members who may act for them, and the broker who drafted it."""
    return (
        acts_for(user, contract.buyer_id)
        or acts_for(user, contract.seller_id)
        or is_contract_broker(user, contract)
    )


def party_of(user, contract: Contract) -> str | None:
    """ "buyer" or "seller": the party this account administers, if any."""
    if administers(user, contract.buyer_id):
        return "buyer"
    if administers(user, contract.seller_id):
        return "seller"
    return None


def may_confirm(user, contract: Contract) -> bool:
    """An administrator of a party whose confirmation the contract still lacks,
    while it can be confirmed (a draft, a rejected one, or one registered
    without that consent)."""
    side = party_of(user, contract)
    if side is None or getattr(contract, f"{side}_confirmed_at") is not None:
        return False
    return contract.is_editable or contract.consent_flagged


def records_payments(user, contract: Contract) -> bool:
    """Payments are recorded by the buyer, or by the contract's broker for the
    buyer to confirm."""
    return acts_for(user, contract.buyer_id) or is_contract_broker(user, contract)


def takes_payments(contract: Contract) -> bool:
    """Against a registered contract only."""
    return contract.status == Contract.Status.REGISTERED


def may_pay(user, contract: Contract) -> bool:
    """The "add a payment" button and payment_add alike."""
    return takes_payments(contract) and records_payments(user, contract)


def records_reward(user, contract: Contract) -> bool:
    return acts_for(user, contract.seller_id)


def rewards_researchers(contract: Contract) -> bool:
    """Sold by a university or an institute."""
    return contract.seller.kind in REWARDING_SELLERS


def takes_reward(contract: Contract) -> bool:
    """Once the contract is registered (and after it ends)."""
    return contract.status in (Contract.Status.REGISTERED, Contract.Status.TERMINATED)


def may_reward(user, contract: Contract) -> bool:
    """The seller records its researchers' reward: the button and reward_save alike."""
    return (
        records_reward(user, contract) and rewards_researchers(contract) and takes_reward(contract)
    )


def may_see_reward(user, contract: Contract) -> bool:
    """The researchers' shares are the seller's business: its members and staff."""
    return is_member(user, contract.seller_id) or is_registrar(user, contract)


def is_registrar(user, contract: Contract) -> bool:
    """Staff of the contract's registration office (the seller's market)."""
    market = contract.market_id or contract.seller.market_id
    return bool(getattr(user, "is_authenticated", False)) and (in_scope(user, market))


def may_create_contract(user) -> bool:
    """A broker, or a member who may act for an organisation (the buyer or the seller)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_broker or acts_for(user, user.organization_id)


def may_register(user, contract: Contract) -> bool:
    return is_registrar(user, contract) and contract.status == Contract.Status.SUBMITTED


def may_terminate(user, contract: Contract) -> bool:
    return contract.status == Contract.Status.REGISTERED and (
        may_draft(user, contract) or is_registrar(user, contract)
    )


def may_verify_payment(user, payment) -> bool:
    """Staff of the registration office, once the buyer stands behind the payment."""
    return (
        is_registrar(user, payment.contract)
        and payment.status == payment.Status.PENDING
        and payment.buyer_confirmed_at is not None
    )


def may_confirm_payment(user, payment) -> bool:
    return (
        acts_for(user, payment.contract.buyer_id)
        and payment.buyer_confirmed_at is None
        and payment.status == payment.Status.PENDING
    )


def may_manage_programmes(user) -> bool:
    """Central (provincial) staff set the subsidy's rules."""
    return is_central(user)


def is_market_staff_of(user, application: SubsidyApplication) -> bool:
    """Staff of the applying enterprise's market (central staff everywhere)."""
    return in_scope(user, application.organization.market_id)


def may_city_review(user, application: SubsidyApplication) -> bool:
    return (
        is_market_staff_of(user, application)
        and application.status == SubsidyApplication.Status.SUBMITTED
    )


def may_approve(user, application: SubsidyApplication) -> bool:
    """Central staff other than the city reviewer."""
    return (
        is_central(user)
        and application.status == SubsidyApplication.Status.CITY_REVIEWED
        and application.city_reviewed_by_id != user.pk
    )


def may_reject_subsidy(user, application: SubsidyApplication) -> bool:
    if application.status == SubsidyApplication.Status.CITY_REVIEWED:
        return is_central(user)
    return application.status == SubsidyApplication.Status.SUBMITTED and is_market_staff_of(
        user, application
    )


def may_disburse(user, application: SubsidyApplication) -> bool:
    """Central staff other than the approver."""
    return (
        is_central(user)
        and application.status == SubsidyApplication.Status.APPROVED
        and application.approved_by_id != user.pk
    )


def may_apply(user) -> bool:
    org = getattr(user, "organization", None)
    return org is not None and org.kind == Organization.Kind.ENTERPRISE and acts_for(user, org.pk)


def may_export_subsidies(user) -> bool:
    """Staff: each market its own enterprises' (the subsidies selector filters)."""
    return is_staff(user)


def sees_ledger(user, organization) -> bool:
    """The enterprise's members and staff of its market."""
    return is_member(user, organization.pk) or in_scope(user, organization.market_id)


def may_submit_subsidy(user, application: SubsidyApplication) -> bool:
    """Also what the enterprise may change: add documents, then submit."""
    return (
        acts_for(user, application.organization_id)
        and application.status in SubsidyApplication.EDITABLE
    )


def may_delete_subsidy(user, application: SubsidyApplication) -> bool:
    return (
        acts_for(user, application.organization_id)
        and application.status == SubsidyApplication.Status.DRAFT
    )


# A reviewer who may reject it may return it for changes instead.
may_send_back_subsidy = may_reject_subsidy
