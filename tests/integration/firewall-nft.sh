#!/bin/sh
# The firewall tests (firewall.body) with the nft backend.
export BOXNET_FIREWALL=nft
. "$(dirname "$0")/firewall.body"
