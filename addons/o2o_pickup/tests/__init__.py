from . import (
    test_pickup_cancel,
    test_pickup_codes,
    test_pickup_collect_concurrency,
    test_pickup_flow,
    test_pickup_portal,
    test_pickup_pos,
    test_pickup_pos_tours,
    test_pickup_return,
    test_pickup_slot_concurrency,
    test_pickup_slots,
    test_pickup_tours,
)
