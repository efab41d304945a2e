package model

import "fmt"

// Severities from most to least urgent.
var Severities = []string{"critical", "high", "medium", "low", "info"}

// SeverityRank orders severities: critical=4 ... info=0, unknown=-1.
func SeverityRank(s string) int {
	switch s {
	case "critical":
		return 4
	case "high":
		return 3
	case "medium":
		return 2
	case "low":
		return 1
	case "info":
		return 0
	}
	return -1
}

// ParseSeverity validates a severity name.
func ParseSeverity(s string) (string, error) {
	if SeverityRank(s) < 0 {
		return "", fmt.Errorf("unknown severity %q (want one of critical, high, medium, low, info)", s)
	}
	return s, nil
}
