#!/bin/sh
# IPv6 end to end through boxnet's commands, the iptables backend (ipv6fw.body)
FW=iptables
. "$(dirname "$0")/ipv6fw.body"
