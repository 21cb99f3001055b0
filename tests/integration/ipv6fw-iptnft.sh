#!/bin/sh
# IPv6 end to end through boxnet's commands, the iptables-nft backend (ipv6fw.body)
FW=iptables-nft
. "$(dirname "$0")/ipv6fw.body"
