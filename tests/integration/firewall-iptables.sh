#!/bin/sh
# The firewall tests (firewall.body) with the iptables backend.
export BOXNET_FIREWALL=iptables
. "$(dirname "$0")/firewall.body"
