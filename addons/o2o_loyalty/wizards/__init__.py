from . import loyalty_card_update_balance, o2o_loyalty_adjust
