package policies

// Families maps each rule directory to the family part of its rules' ids:
// policies/haproxy/hap_001.rego is package oscfg.rules.hap_001 and rule
// OSC-HAP-001, documented in docs/rules/haproxy/OSC-HAP-001.md. A new
// family is a new directory and a line here.
var Families = map[string]string{
	"cron":      "CRON",
	"db":        "DB",
	"galera":    "GAL",
	"general":   "GEN",
	"haproxy":   "HAP",
	"keystone":  "KS",
	"messaging": "MQ",
	"nova":      "NOVA",
	"opt":       "OPT",
}
