// Package policies holds oscfg's built-in Rego: one package per rule
// (oscfg.rules.<id>) grouped in a directory per family, the shared helpers
// in lib/, and a _test.rego beside every rule.
package policies

import "embed"

// FS holds every built-in policy and its tests.
//
//go:embed lib/*.rego lib/internal/*.rego */*.rego
var FS embed.FS
