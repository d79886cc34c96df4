"""Certificate verification (/verify/, GET /api/v1/certificates/{number}/):
anyone confirms that a registration certificate (技术合同登记证明) or a
transaction certificate (技术交易凭证) exists and what it certifies: its number,
kind, contract type, parties, amounts, date and office. Nothing confidential
(no contract text, no payments, no people) is ever read for it.
"""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.selectors import registered_contract
from market.selectors import certified_deal
from portal.core.errors import RuleBroken

REGISTRATION = re.compile(r"^\d{16}$")  # the office's 6-digit code, the year, a 6-digit serial
TRANSACTION = re.compile(r"^JYPZ-\d{4}-\d{6}$")
MARKET_OFFICE = "湖北技术交易市场"


def normalised(raw: str) -> str:
    """What people paste: spaces, full-width digits and dashes, lower case."""
    text = (raw or "").translate(str.maketrans("０１２３４５６７８９－—–", "0123456789---"))
    return re.sub(r"\s+", "", text).upper()[:40]


def check(raw: str) -> str:
    number = normalised(raw)
    if not number:
        raise RuleBroken({"number": [_("Type the certificate's number.")]})
    if not (REGISTRATION.match(number) or TRANSACTION.match(number)):
        raise RuleBroken(
            {
                "number": [
                    _(
                        "A registration certificate's number is 16 digits; a transaction "
                        "certificate's is JYPZ-YYYY-NNNNNN."
                    )
                ]
            }
        )
    return number


def certificate(number: str) -> dict | None:
    """What a well-formed number certifies, or None if nothing holds it."""
    if REGISTRATION.match(number):
        contract = registered_contract(number)
        if contract is None:
            return None
        return {
            "number": number,
            "kind": "registration",
            "contract_type": contract.contract_type,
            "contract_type_label": contract.get_contract_type_display(),
            "buyer": contract.buyer.name,
            "seller": contract.seller.name,
            "amount": str(contract.amount),
            "tech_transaction_amount": str(contract.tech_transaction_amount),
            "registered_on": timezone.localtime(contract.registered_at).date().isoformat(),
            "office": contract.market.name if contract.market_id else "",
        }
    deal = certified_deal(number)
    if deal is None or deal.contract is None:
        return None
    contract = deal.contract
    return {
        "number": number,
        "kind": "transaction",
        "contract_type": contract.contract_type,
        "contract_type_label": contract.get_contract_type_display(),
        "buyer": contract.buyer.name,
        "seller": contract.seller.name,
        "amount": str(contract.amount),
        "tech_transaction_amount": str(contract.tech_transaction_amount),
        "registered_on": timezone.localtime(deal.certificate_issued_at).date().isoformat(),
        "office": MARKET_OFFICE,
        "registration_number": contract.registration_number,
        "achievement": deal.achievement.title,
    }
