from . import o2o_loyalty_adjust
