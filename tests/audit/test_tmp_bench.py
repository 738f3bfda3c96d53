import time
from django.db import connection, transaction
from brygga.audit.models import AuditEvent, Action
from brygga.audit import chain
from brygga.audit.log import record
from tests.audit.test_chain_postgres import real_commits, restore_truncate_trigger, postgres_only  # noqa

def test_profile(real_commits, capsys):
    from django.test.utils import CaptureQueriesContext
    for i in range(5): record(None, Action.VIEW, username="w", person_id=i)
    with CaptureQueriesContext(connection) as c:
        t=time.perf_counter()
        for i in range(100): record(None, Action.VIEW, username="w", person_id=i)
        e=time.perf_counter()-t
    import collections
    agg=collections.defaultdict(float); cnt=collections.Counter()
    for q in c.captured_queries:
        k=q["sql"][:40]; agg[k]+=float(q["time"]); cnt[k]+=1
    with capsys.disabled():
        print(f"\ntotal {e:.3f}s for 100")
        for k,v in agg.items(): print(cnt[k], f"{v:.3f}", k)
