"""Every write of the market, by subject:

- rules.py     the market's rules and the working-day calendar
- listings.py  listings, their notice, intended transferees, the notice's close
- auctions.py  lots, their notice, bidders, the close, the winner's confirmation
- bids.py      bids, one at a time per lot (LOCK_LOTS), anti-sniping
- deposits.py  deposits and their ledger
- deals.py     from a deal to its contract, its result publicity and certificate
- sweep.py     the beat jobs' work

Locks, in order: a sequence (numbers), then the listing or lot, then its
deposits; never the other way round.
"""
