"""Every write to contracts, payments, researcher rewards and subsidies, by subject:

- contracts.py   drafts, consent, submission, registration (gapless serials)
- payments.py    the buyer's payments and their verification
- rewards.py     the researchers' reward
- programmes.py  the subsidy programmes (rules as data)
- subsidies.py   the computation, applications, reviews, the cap, disbursement

Public money flows through here: every amount the rules compute is computed
(never typed in), every status change is audited in the same transaction,
and the two races that matter — registration serials and the subsidy cap —
are serialised by row locks taken in a fixed order (counter → contract;
ledger → application; portal/core/locks.py) and backed by database
constraints. Other apps import the functions from here.
"""

from contracts.services.contracts import (
    contract_attach_document,
    contract_confirm,
    contract_create,
    contract_register,
    contract_reject,
    contract_submit,
    contract_terminate,
    contract_update,
)
from contracts.services.payments import (
    payment_add,
    payment_confirm,
    payment_reject,
    payment_verify,
)
from contracts.services.programmes import program_save
from contracts.services.rewards import reward_save
from contracts.services.subsidies import (
    Computation,
    buyer_problem,
    ledger_of,
    subsidy_apply,
    subsidy_approve,
    subsidy_attach,
    subsidy_city_review,
    subsidy_compute,
    subsidy_delete,
    subsidy_disburse,
    subsidy_reject,
    subsidy_send_back,
    subsidy_submit,
)

__all__ = [
    "Computation",
    "buyer_problem",
    "contract_attach_document",
    "contract_confirm",
    "contract_create",
    "contract_register",
    "contract_reject",
    "contract_submit",
    "contract_terminate",
    "contract_update",
    "ledger_of",
    "payment_add",
    "payment_confirm",
    "payment_reject",
    "payment_verify",
    "program_save",
    "reward_save",
    "subsidy_apply",
    "subsidy_approve",
    "subsidy_attach",
    "subsidy_city_review",
    "subsidy_compute",
    "subsidy_delete",
    "subsidy_disburse",
    "subsidy_reject",
    "subsidy_send_back",
    "subsidy_submit",
]
