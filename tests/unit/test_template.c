// SPDX-License-Identifier: GPL-2.0-or-later
/* core/template: docker's --format over the network of RULESETS.md §2.7.
 * Expected texts are what Go's text/template with docker's functions prints,
 * except where a comment says why not. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/json.h"
#include "lib/template.h"

#define ID "9f5582408190c31682e2d6c441009b6197420edf93d71a8d4c24c1303fd6c955"
#define CID "6fa7a0f17cf91db32c0188df5d315da6de44fb7ad56f6018b3b3789bf96c64b0"
#define EID "caddb98df759647a025b8c951eb95c2660a1a1a5b8ef138b1e88d289de418605"

struct tcase {
	const char *tmpl;
	const char *want; /* output, or the message of a failure */
};

static struct jv *endpoint(const char *name, const char *ip)
{
	struct jv *e = jv_object();

	jv_set(e, "Name", jv_str(name));
	jv_set(e, "EndpointID", jv_str(EID));
	jv_set(e, "MacAddress", jv_str("02:42:ac:16:00:02"));
	jv_set(e, "IPv4Address", jv_str(ip));
	jv_set(e, "IPv6Address", jv_str(""));
	return e;
}

static struct jv *network(void)
{
	struct jv *n = jv_object(), *ipam = jv_object(), *cfg = jv_array();
	struct jv *c = jv_object(), *ctr = jv_map(), *from = jv_object(), *opt = jv_map();

	jv_set(n, "Name", jv_str("rsnet"));
	jv_set(n, "Id", jv_str(ID));
	jv_set(n, "Created", jv_str("2026-11-22T21:01:27.917902521Z"));
	jv_set(n, "Scope", jv_str("local"));
	jv_set(n, "Driver", jv_str("bridge"));
	jv_set(n, "EnableIPv6", jv_bool(false));
	jv_set(ipam, "Driver", jv_str("default"));
	jv_set(ipam, "Options", jv_map());
	jv_set(c, "Subnet", jv_str("172.22.0.0/16"));
	jv_set(c, "Gateway", jv_str("172.22.0.1"));
	jv_push(cfg, c);
	jv_set(ipam, "Config", cfg);
	jv_set(n, "IPAM", ipam);
	jv_set(n, "Internal", jv_bool(false));
	jv_set(n, "Attachable", jv_bool(false));
	jv_set(n, "Ingress", jv_bool(false));
	jv_set(from, "Network", jv_str(""));
	jv_set(n, "ConfigFrom", from);
	jv_set(n, "ConfigOnly", jv_bool(false));
	jv_set(ctr, CID, endpoint("c4", "172.22.0.2/16"));
	jv_set(n, "Containers", ctr);
	jv_set(opt, "com.docker.network.bridge.name", jv_str("br-9f5582408190"));
	jv_set(n, "Options", opt);
	jv_set(n, "Labels", jv_map());
	return n;
}

/* a Go map[string]interface{} holding what the JSON can: for printing */
static struct jv *misc(void)
{
	struct jv *m = jv_map(), *a = jv_array(), *o = jv_object(), *two = jv_map();

	jv_push(a, jv_int(1));
	jv_push(a, jv_null());
	jv_push(a, jv_str("a b"));
	jv_push(a, jv_bool(true));
	jv_set(m, "Arr", a);
	jv_set(m, "Null", jv_null());
	jv_set(m, "Int", jv_int(-42));
	jv_set(m, "Str", jv_str("<x & y>\n"));
	jv_set(m, "Empty", jv_array());
	jv_set(o, "z", jv_int(1)); /* a struct prints, and ranges, sorted */
	jv_set(o, "a", jv_str("b"));
	jv_set(m, "Obj", o);
	jv_set(two, "b", endpoint("c5", "172.22.0.3/16"));
	jv_set(two, "a", endpoint("c6", "172.22.0.4/16"));
	jv_set(m, "Two", two);
	jv_set(m, "Sep", jv_str("\xe2\x80\xa8"));
	return m;
}

/* tmpl_exec into a string; *@ret its return value; *@err its message */
static char *run(const char *tmpl, const struct jv *root, int *ret, char *err,
		 size_t err_size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*ret = tmpl_exec(f, tmpl, root, err, err_size);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void check(const struct tcase *t, size_t n, const struct jv *root, bool fails)
{
	char err[512], *out;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		out = run(t[i].tmpl, root, &ret, err, sizeof(err));
		if (ret != (fails ? -EINVAL : 0) || strcmp(fails ? err : out, t[i].want))
			print_error("template %s\n     got %d \"%s\" \"%s\"\nexpected \"%s\"\n",
				    t[i].tmpl, ret, out, err, t[i].want);
		assert_int_equal(ret, fails ? -EINVAL : 0);
		assert_string_equal(fails ? err : out, t[i].want);
		if (fails)
			assert_string_equal(out, ""); /* all or nothing */
		free(out);
	}
}

#define CHECK(cases, root, fails) check(cases, sizeof(cases) / sizeof(cases[0]), root, fails)

static int setup(void **state)
{
	*state = network();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	jv_free(*state);
	return 0;
}

static void fields(void **state)
{
	static const struct tcase t[] = {
		{ "", "" },
		{ "plain text", "plain text" },
		{ "{{.Name}}", "rsnet" },
		{ "{{ .Name }} {{.Driver}}/{{.Scope}}", "rsnet bridge/local" },
		{ "{{.IPAM.Driver}}", "default" },
		{ "{{.IPAM.Config}}", "[map[Gateway:172.22.0.1 Subnet:172.22.0.0/16]]" },
		{ "{{.IPAM.Options}}", "map[]" },
		{ "{{.ConfigFrom}}", "map[Network:]" },
		{ "{{.EnableIPv6}} {{.Internal}}", "false false" },
		{ "{{.Options.Nope}}", "<no value>" }, /* a map: no value */
		{ "{{.Options.Nope.Deeper}}", "<no value>" },
		{ "{{$.Name}}", "rsnet" },
		{ "{{(index .IPAM.Config 0).Subnet}}", "172.22.0.0/16" },
		{ "{{with $c := index .IPAM.Config 0}}{{$c.Gateway}}{{end}}", "172.22.0.1" },
	};

	CHECK(t, *state, false);
}

static void whole_value(void **state)
{
	static const struct tcase t[] = {
		{ "{{.}}",
		  "map[Attachable:false ConfigFrom:map[Network:] ConfigOnly:false "
		  "Containers:map[" CID ":map[EndpointID:" EID " IPv4Address:172.22.0.2/16 "
		  "IPv6Address: MacAddress:02:42:ac:16:00:02 Name:c4]] "
		  "Created:2026-11-22T21:01:27.917902521Z Driver:bridge EnableIPv6:false "
		  "IPAM:map[Config:[map[Gateway:172.22.0.1 Subnet:172.22.0.0/16]] "
		  "Driver:default Options:map[]] Id:" ID " Ingress:false Internal:false "
		  "Labels:map[] Name:rsnet Options:map[com.docker.network.bridge.name:"
		  "br-9f5582408190] Scope:local]" },
		{ "{{json .}}",
		  "{\"Name\":\"rsnet\",\"Id\":\"" ID "\",\"Created\":\"2026-11-22T21:01:27.917902521Z\","
		  "\"Scope\":\"local\",\"Driver\":\"bridge\",\"EnableIPv6\":false,\"IPAM\":"
		  "{\"Driver\":\"default\",\"Options\":{},\"Config\":[{\"Subnet\":\"172.22.0.0/16\","
		  "\"Gateway\":\"172.22.0.1\"}]},\"Internal\":false,\"Attachable\":false,"
		  "\"Ingress\":false,\"ConfigFrom\":{\"Network\":\"\"},\"ConfigOnly\":false,"
		  "\"Containers\":{\"" CID "\":{\"Name\":\"c4\",\"EndpointID\":\"" EID "\","
		  "\"MacAddress\":\"02:42:ac:16:00:02\",\"IPv4Address\":\"172.22.0.2/16\","
		  "\"IPv6Address\":\"\"}},\"Options\":{\"com.docker.network.bridge.name\":"
		  "\"br-9f5582408190\"},\"Labels\":{}}" },
		{ "{{json .Containers}}",
		  "{\"" CID "\":{\"Name\":\"c4\",\"EndpointID\":\"" EID "\",\"MacAddress\":"
		  "\"02:42:ac:16:00:02\",\"IPv4Address\":\"172.22.0.2/16\",\"IPv6Address\":\"\"}}" },
		{ "{{json .IPAM.Config}}",
		  "[{\"Subnet\":\"172.22.0.0/16\",\"Gateway\":\"172.22.0.1\"}]" },
		{ "{{json .Labels}} {{json .Name}} {{json .Internal}} {{json .Options.X.Y}}",
		  "{} \"rsnet\" false null" },
	};

	CHECK(t, *state, false);
}

static void printing(void **state)
{
	struct jv *m = misc();
	static const struct tcase t[] = {
		{ "{{.Arr}}", "[1 <nil> a b true]" },
		{ "{{.Null}}", "<nil>" },
		{ "{{.Nope}}", "<no value>" },
		{ "{{.Int}} {{.Empty}}", "-42 []" },
		{ "{{.Obj}}", "map[a:b z:1]" },
		{ "{{.Str}}", "<x & y>\n" },
		{ "{{json .Str}}", "\"<x & y>\\n\"" }, /* docker turns HTML escaping off */
		{ "{{json .Sep}}", "\"\\u2028\"" },	 /* but not this one */
		{ "{{json .Arr}}", "[1,null,\"a b\",true]" },
		{ "{{.Null.X}}", "<no value>" },
		{ "{{true}} {{false}} {{12}} {{-3}} {{0x1F}} {{0o17}} {{017}} {{1_000}}",
		  "true false 12 -3 31 15 15 1000" },
		{ "{{'a'}} {{'\\n'}} {{'\xc3\xa9'}} {{\"\\u00e9\\x41\"}} {{`a\\n`}}", "97 10 233 \xc3\xa9" "A a\\n" },
	};

	CHECK(t, m, false);
	jv_free(m);
}

static void range_else(void **state)
{
	struct jv *m = misc();
	static const struct tcase t[] = {
		{ "{{range .Arr}}<{{.}}>{{end}}", "<1><<nil>><a b><true>" },
		{ "{{range $i, $v := .Arr}}{{$i}}={{$v}};{{end}}", "0=1;1=<nil>;2=a b;3=true;" },
		{ "{{range .Empty}}x{{else}}empty{{end}}", "empty" },
		{ "{{range .Null}}x{{else}}nil{{end}}", "nil" },
		{ "{{range .Nope}}x{{else}}none{{end}}", "none" },
		{ "{{range $k, $v := .Two}}{{$k}}:{{$v.Name}} {{end}}", "a:c6 b:c5 " },
		{ "{{range $k, $v := .Obj}}{{$k}}={{$v}} {{end}}", "a=b z=1 " },
		{ "{{range .Two}}{{.Name}}{{end}}", "c6c5" },
		{ "{{range 3}}{{.}}{{end}}", "012" },
		{ "{{range $i, $e := .Arr}}{{if eq $i 1}}{{continue}}{{end}}"
		  "{{if eq $i 3}}{{break}}{{end}}{{$e}},{{end}}",
		  "1,a b," },
		{ "{{range $x := .Arr}}{{end}}{{$x := 5}}{{$x}}", "5" },
	};

	CHECK(t, m, false);
	jv_free(m);
}

static void ranges_network(void **state)
{
	static const struct tcase t[] = {
		{ "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "172.22.0.0/16" },
		{ "{{range .IPAM.Config}}{{.Subnet}} via {{.Gateway}}\n{{end}}",
		  "172.22.0.0/16 via 172.22.0.1\n" },
		{ "{{range $k, $v := .Containers}}{{$k}} {{$v.Name}}{{end}}", CID " c4" },
		{ "{{range $v := .Containers}}{{$v.IPv4Address}}{{end}}", "172.22.0.2/16" },
		{ "{{range $i, $c := .IPAM.Config}}{{$i}}:{{$c.Subnet}} {{$.Name}}{{end}}",
		  "0:172.22.0.0/16 rsnet" },
		{ "{{range .Labels}}x{{else}}no labels{{end}}", "no labels" },
		{ "{{range $k, $v := .Options}}{{$k}}={{$v}}{{end}}",
		  "com.docker.network.bridge.name=br-9f5582408190" },
	};

	CHECK(t, *state, false);
}

static void conditions(void **state)
{
	static const struct tcase t[] = {
		{ "{{if .Internal}}yes{{else}}no{{end}}", "no" },
		{ "{{if .Name}}yes{{else}}no{{end}}", "yes" },
		{ "{{if .Labels}}L{{else if .Options}}O{{else}}-{{end}}", "O" },
		{ "{{if .Internal}}a{{else if .Attachable}}b{{else}}c{{end}}", "c" },
		{ "{{if .ConfigFrom}}struct{{end}}", "struct" }, /* structs are true */
		{ "{{with .IPAM}}{{.Driver}}{{end}}", "default" },
		{ "{{with .Labels}}x{{else with .Options}}{{len .}}{{end}}", "1" },
		{ "{{if and .Name (not .Internal)}}ok{{end}}", "ok" },
		{ "{{and 1 0 2}} {{and 1 2}} {{or 0 \"\" \"x\"}} {{or 0 \"\"}}", "0 2 x " },
		{ "{{or .Name .Nope.X}}", "rsnet" }, /* never evaluates .Nope */
		{ "{{if eq .Driver \"macvlan\" \"bridge\"}}b{{end}}", "b" },
		{ "{{eq 1 1}} {{ne 1 2}} {{ne \"a\" \"a\"}} {{eq .Internal false}}",
		  "true true false true" },
		{ "{{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge \"a\" \"b\"}}", "true true true false" },
		{ "{{$n := .Name}}{{$n}} {{$x := 1}}{{$x = 2}}{{$x}}", "rsnet 2" },
		{ "{{if $v := .Driver}}{{$v}}{{end}}", "bridge" },
	};

	CHECK(t, *state, false);
}

static void functions(void **state)
{
	static const struct tcase t[] = {
		{ "{{index .Options \"com.docker.network.bridge.name\"}}", "br-9f5582408190" },
		{ "{{index .Options \"nope\"}}", "" }, /* docker's map[string]string */
		{ "{{index .IPAM.Config 0}}", "map[Gateway:172.22.0.1 Subnet:172.22.0.0/16]" },
		{ "{{index .Containers \"" CID "\" | len}}", "5" },
		{ "{{index \"abc\" 1}} {{index .IPAM}}", "98 map[Config:[map[Gateway:172.22.0.1 "
		  "Subnet:172.22.0.0/16]] Driver:default Options:map[]]" },
		{ "{{len .Containers}} {{len .IPAM.Config}} {{len .Name}} {{len \"h\xc3\xa9\"}}",
		  "1 1 5 3" },
		{ "{{println .Name}}", "rsnet\n" },
		{ "{{println .Name .Internal 3}}", "rsnet false 3\n" },
		{ "{{print .Name .Internal 3 \"a\" \"b\" 4 5}}", "rsnetfalse 3ab4 5" },
		/* ASCII only: Go's ToUpper gives H\xc3\x89LLO */
		{ "{{.Name | upper}} {{.Name | lower}} {{upper \"h\xc3\xa9llo\"}}", "RSNET rsnet H\xc3\xa9LLO" },
		{ "{{title \"hello wide-world x_y 9lives\"}}", "Hello Wide-World X_y 9lives" },
		{ "{{join (split \"a,b,,c\" \",\") \"|\"}}", "a|b||c" },
		{ "{{split \"a b\" \" \"}} {{split \"h\xc3\xa9\" \"\"}} {{len (split \"\" \",\")}}",
		  "[a b] [h \xc3\xa9] 1" },
		{ "{{pad .Name 2 1}}|{{pad \"\" 3 3}}|{{truncate .Id 12}}|{{truncate \"ab\" 5}}",
		  "  rsnet |" "|9f5582408190|ab" },
		{ "{{.Name | printf \"%s-%s\" \"net\"}}", "net-rsnet" },
		{ "{{.Name | len | printf \"%03d\"}}", "005" },
	};

	CHECK(t, *state, false);
}

static void printf_verbs(void **state)
{
	static const struct tcase t[] = {
		{ "{{printf \"%s|%d|%v|%q\" .Name 42 .Internal .Name}}", "rsnet|42|false|\"rsnet\"" },
		{ "{{printf \"%v %v\" .IPAM.Config .Labels}}",
		  "[map[Gateway:172.22.0.1 Subnet:172.22.0.0/16]] map[]" },
		{ "{{printf \"%5s|%-5s|%.2s|%5.1s|%t\" \"ab\" \"ab\" \"abc\" \"abc\" true}}",
		  "   ab|ab   |ab|    a|true" },
		{ "{{printf \"%5d|%-5d|%05d|%+d|% d|%.3d\" 42 42 -42 42 42 7}}",
		  "   42|42   |-0042|+42| 42|007" },
		{ "{{printf \"%x %X %#x %o %b %x %X\" 255 255 255 8 5 \"hi\" \"hi\"}}",
		  "ff FF 0xff 10 101 6869 6869" },
		{ "{{printf \"%c%c %q %q\" 72 105 65 \"a\\\"b\\n\\x01\\u00e9\\u2028\"}}",
		  "Hi 'A' \"a\\\"b\\n\\x01\xc3\xa9\\u2028\"" },
		{ "{{printf \"%.2s|%3s|\" \"\xc3\xa9t\xc3\xa9\" \"\xc3\xa9\"}}", "\xc3\xa9t|  \xc3\xa9|" },
		{ "{{printf \"%d|%s|%s|%v|%t\" \"x\" 1 nil nil 1}}",
		  "%!d(string=x)|%!s(int=1)|%!s(<nil>)|<nil>|%!t(int=1)" },
		{ "{{printf \"%d %s\"}}", "%!d(MISSING) %!s(MISSING)" },
		{ "{{printf \"%s\" 1 \"a\" nil}}", "%!s(int=1)%!(EXTRA string=a, <nil>)" },
		{ "{{printf \"100%% %z\" 1}}", "100% %!z(int=1)" },
		{ "{{printf \"a%\"}}|{{printf \"%-\"}}", "a%!(NOVERB)|%!(NOVERB)" },
		{ "{{printf \"%d\" .IPAM.Config}}",
		  "[map[%!d(string=Gateway):%!d(string=172.22.0.1) "
		  "%!d(string=Subnet):%!d(string=172.22.0.0/16)]]" },
		{ "{{printf \"%v|%s\" .Options.Nope .Options.Nope}}", "<nil>|%!s(<nil>)" },
		{ "{{printf `%s` \"raw\"}}", "raw" },
	};

	CHECK(t, *state, false);
}

static void trimming(void **state)
{
	static const struct tcase t[] = {
		{ "a  {{- .Name -}}  \n b", "arsnetb" },
		{ "a {{- .Name}} b", "arsnet b" },
		{ "a {{.Name -}}\n\t b", "a rsnetb" },
		{ "a{{-3}}", "a-3" }, /* no space: a number */
		{ "a{{/* comment */}}b", "ab" },
		{ "a {{- /* comment */ -}} b", "ab" },
		{ "{{/* multi\nline */}}x", "x" },
		{ "{{range .IPAM.Config -}}\n  {{.Gateway}}\n{{- end}}", "172.22.0.1" },
		{ "a{{\"}}\"}}b", "a}}b" },
		{ "{{.Name}}\n", "rsnet\n" },
	};

	CHECK(t, *state, false);
}

static void errors_syntax(void **state)
{
	static const struct tcase t[] = {
		{ "{{.Name", "template: :1: unclosed action" },
		{ "{{.Name}", "template: :1: bad character U+007D '}'" },
		{ "{{foo}}", "template: :1: function \"foo\" not defined" },
		{ "{{.Name | foo}}", "template: :1: function \"foo\" not defined" },
		{ "{{if .Name}}x", "template: :1: unexpected EOF" },
		{ "{{end}}", "template: :1: unexpected {{end}}" },
		{ "{{else}}", "template: :1: unexpected {{else}}" },
		{ "{{if 1}}{{else}}{{else}}{{end}}", "template: :1: expected end; found {{else}}" },
		{ "{{}}", "template: :1: missing value for command" },
		{ "{{if}}{{end}}", "template: :1: missing value for if" },
		{ "{{$x}}", "template: :1: undefined variable \"$x\"" },
		{ "{{$x = 1}}", "template: :1: undefined variable \"$x\"" },
		{ "{{if 1}}{{$y := 1}}{{end}}{{$y}}", "template: :1: undefined variable \"$y\"" },
		{ "{{\"abc}}", "template: :1: unterminated quoted string" },
		{ "{{`abc}}", "template: :1: unterminated raw quoted string" },
		{ "{{\"\\q\"}}", "template: :1: invalid syntax in quoted string" }, /* Go: invalid syntax */
		{ "{{(.Name}}", "template: :1: unclosed left paren" },
		{ "{{.Name)}}", "template: :1: unexpected right paren" },
		{ "{{.Name | \"x\"}}", "template: :1: non executable command in pipeline stage 2" },
		{ "{{1.5}}", "template: :1: floating-point constants are not supported: 1.5" },
		{ "{{12ab}}", "template: :1: bad number syntax: \"12ab\"" },
		/* Go takes it for a float and prints <no value> */
		{ "{{99999999999999999999}}", "template: :1: 99999999999999999999 overflows int" },
		{ "{{/* x */ .Name}}", "template: :1: comment ends before closing delimiter" },
		{ "{{/* x", "template: :1: unclosed comment" },
		{ "{{break}}", "template: :1: {{break}} outside {{range}}" },
		{ "{{define \"x\"}}{{end}}", "template: :1: {{define}} is not supported" },
		{ "{{.Name if}}", "template: :1: unexpected <if> in operand" },
		{ "{{\"x\".Y}}", "template: :1: unexpected . after term \"\"x\"\"" },
		{ "{{$x, $y := 1}}", "template: :1: too many declarations in command" },
		{ "{{\x01}}", "template: :1: unrecognized character in action: U+0001" },
		{ "{{.Name#}}", "template: :1: bad character U+0023 '#'" },
		{ "{{.Name @}}", "template: :1: unexpected \"@\" in operand" },
		{ "a\nb\n{{.Name", "template: :3: unclosed action" },
	};

	CHECK(t, *state, true);
}

static void errors_exec(void **state)
{
	static const struct tcase t[] = {
		{ "{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: "
			       "map has no entry for key \"Nope\"" },
		{ "{{json .State.Running}}", "template: :1:13: executing \"\" at <.State.Running>: "
					     "map has no entry for key \"State\"" },
		{ "a\n b {{.IPAM.Nope}}", "template: :2:10: executing \"\" at <.IPAM.Nope>: "
					  "map has no entry for key \"Nope\"" },
		{ "{{.Name.X}}", "template: :1:7: executing \"\" at <.Name.X>: "
				 "can't evaluate field X in type string" },
		{ "{{range .Name}}{{end}}", "template: :1:8: executing \"\" at <.Name>: "
					    "range can't iterate over rsnet" },
		{ "{{index}}", "template: :1:2: executing \"\" at <index>: "
			       "wrong number of args for index: want at least 1 got 0" },
		{ "{{upper 1}}", "template: :1:2: executing \"\" at <upper 1>: "
				 "wrong type for value; expected string; got int" },
		{ "{{.Options.Nope | upper}}", "template: :1:18: executing \"\" at <upper>: "
					       "invalid value; expected string" },
		{ "{{index .IPAM.Config 5}}", "template: :1:2: executing \"\" at <index .IPAM.Config 5>: "
					      "error calling index: index out of range: 5" },
		{ "{{index .Options 1}}", "template: :1:2: executing \"\" at <index .Options 1>: "
					  "error calling index: value has type int; should be string" },
		{ "{{nil}}", "template: :1:2: executing \"\" at <nil>: nil is not a command" },
		{ "{{\"x\" \"y\"}}", "template: :1:2: executing \"\" at <\"x\">: "
				     "can't give argument to non-function \"x\"" },
		{ "{{.Name 1}}", "template: :1:2: executing \"\" at <.Name>: "
				 "Name is not a method but has arguments" },
		{ "{{len 3}}", "template: :1:2: executing \"\" at <len 3>: "
			       "error calling len: len of type int" },
		{ "{{lt 1 \"a\"}}", "template: :1:2: executing \"\" at <lt 1 \"a\">: "
				    "error calling lt: incompatible types for comparison" },
		{ "{{eq .IPAM 1}}", "template: :1:2: executing \"\" at <eq .IPAM 1>: "
				    "error calling eq: non-comparable type map[string]interface {}" },
		{ "{{truncate .Name -1}}", "template: :1:2: executing \"\" at <truncate .Name -1>: "
					   "error calling truncate: slice bounds out of range [:-1]" },
		{ "{{join .Name \",\"}}", "template: :1:2: executing \"\" at <join .Name \",\">: "
					  "wrong type for value; expected []string; got string" },
		{ "{{index .IPAM.Config 0 \"Subnet\" \"x\"}}",
		  "template: :1:2: executing \"\" at <index .IPAM.Config 0...>: "
		  "error calling index: cannot index slice/array with type string" },
		{ "x{{.Name}}{{.Nope}}", "template: :1:12: executing \"\" at <.Nope>: "
					 "map has no entry for key \"Nope\"" },
	};

	CHECK(t, *state, true);
}

/* what Go has no limit for, but a C stack and a terminal do */
static void limits(void **state)
{
	char tmpl[1024], err[256], *out;
	int ret, i;

	for (i = 0; i < 150; i++)
		tmpl[i] = '(';
	strcpy(tmpl + 150, "1");
	memcpy(tmpl, "{{", 2);
	out = run(tmpl, *state, &ret, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "template: :1: max nesting depth exceeded");
	free(out);
	out = run("{{range 100000000}}{{end}}", *state, &ret, err, sizeof(err));
	assert_int_equal(ret, -E2BIG);
	assert_non_null(strstr(err, "steps"));
	free(out);
	out = run("{{range 2000}}{{pad \"x\" 10000 0}}{{end}}", *state, &ret, err, sizeof(err));
	assert_int_equal(ret, -E2BIG);
	assert_non_null(strstr(err, "output too large"));
	free(out);
}

static void api_edges(void **state)
{
	char err[16], *out;
	int ret;

	/* a short buffer gets a cut message, NULL none */
	out = run("{{foo}}", *state, &ret, err, sizeof(err));
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "template: :1: f");
	free(out);
	out = run("{{foo}}", *state, &ret, NULL, 100);
	assert_int_equal(ret, -EINVAL);
	free(out);
	out = run("{{.}} {{.X}} {{len $}}", NULL, &ret, NULL, 0);
	assert_int_equal(ret, -EINVAL); /* len of no value */
	free(out);
	out = run("{{.}} {{.X}}", NULL, &ret, NULL, 0);
	assert_int_equal(ret, 0);
	assert_string_equal(out, "<no value> <no value>");
	free(out);
	assert_int_equal(tmpl_exec(NULL, "x", *state, NULL, 0), -EINVAL);
	assert_int_equal(tmpl_exec(stdout, NULL, *state, NULL, 0), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fields, setup, teardown),
		cmocka_unit_test_setup_teardown(whole_value, setup, teardown),
		cmocka_unit_test(printing),
		cmocka_unit_test(range_else),
		cmocka_unit_test_setup_teardown(ranges_network, setup, teardown),
		cmocka_unit_test_setup_teardown(conditions, setup, teardown),
		cmocka_unit_test_setup_teardown(functions, setup, teardown),
		cmocka_unit_test_setup_teardown(printf_verbs, setup, teardown),
		cmocka_unit_test_setup_teardown(trimming, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(limits, setup, teardown),
		cmocka_unit_test_setup_teardown(api_edges, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
