#!/bin/sh
# IPv6 end to end through boxnet's commands, the nft backend (ipv6fw.body)
FW=nft
. "$(dirname "$0")/ipv6fw.body"
