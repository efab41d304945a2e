// Package lint is oscfg's lint pipeline: what 'oscfg lint', 'report' and
// each pass of 'fix' do between the command line and a renderer, as one
// ordered list of steps over one run's state, as golangci-lint's
// processor chain. Run runs them all, in this order:
//
//  1. settings: the oscfg.ini named by Options.Config, else the nearest
//     to the first PATH walking up, else ./oscfg.ini, else the defaults
//     (findSettingsStep)
//  2. load: the PATHs into a fleet, with the release of --release, else of
//     oscfg.ini, else inferred per host (loadFleet)
//  3. topology: the clusters stated by --inventory or [clusters], else
//     inferred, and the input document the rules read (buildInput)
//  4. fail-on: the lowest failing severity, from Options.FailOn, oscfg.ini
//     or medium (resolveFailOn)
//  5. rules: the policies compiled with the enabled rules only; unknown
//     rule ids in oscfg.ini or --rule refused (compileRules)
//  6. evaluate: every cluster's part of the document, in parallel
//     (evaluate)
//  7. apply-settings: oscfg.ini [rules] disable, [severity] and [exclude] hosts
//     (applySettings)
//  8. selection: --select, --ignore and --severity checked against the
//     rules (checkSelection)
//  9. suppress: inline "oscfg: ignore" comments, oscfg.ini [ignore], then
//     the baseline, read or just written (suppressFindings)
//  10. select: the findings the selection shows (selectFindings)
//  11. redact: every finding's strings scrubbed of the fleet's secrets
//     (redactFindings), unless Options.KeepSecrets
//  12. fixes: each finding's fix op resolved once against the fleet, the
//     change and masked patch the renderers show (resolveFixes)
//  13. summary: the report, its summary and the suppression notes
//     (summarize)
//
// Load runs steps 1 to 3 only ('oscfg model' and 'files'). Fix plans the
// multi-pass fix run with fixers.Converge, one pass of every step but
// fixes per pass.
package lint
