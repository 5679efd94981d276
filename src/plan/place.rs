//! Station placement: maximal covering (MCLP) and set covering (LSCP) on candidate sites.
