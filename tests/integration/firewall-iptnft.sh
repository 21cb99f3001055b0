#!/bin/sh
# The firewall tests (firewall.body) with the iptables-nft backend.
export BOXNET_FIREWALL=iptables-nft
. "$(dirname "$0")/firewall.body"
