package config

import (
	"fmt"
	"net"
	"strconv"
)

// EnvMetricsListen overrides metrics.listen. `signet demo`, which reads no
// configuration file, takes it from here too.
const EnvMetricsListen = "SIGNET_METRICS_LISTEN"

// MaxAuditKeepDays caps audit.keep_days: ten years, far beyond any
// retention rule, keeps a typo (40000) from meaning "never prune".
const MaxAuditKeepDays = 3660

// Metrics is the Prometheus endpoint of a fleet's kiosk.
type Metrics struct {
	// Listen is the address /metrics and /healthz are served on, such as
	// "127.0.0.1:9464", or the kiosk's LAN address for a central
	// Prometheus. Empty (the default) serves nothing: no port is opened.
	Listen string `toml:"listen"`
}

// Audit is the tamper-evident journal of completed move-ins.
type Audit struct {
	// KeepDays is how long an entry is kept; older ones are pruned and
	// replaced by one signed checkpoint line.
	KeepDays int `toml:"keep_days"`
}

// defaultAudit is the [audit] section's default: a little over a year, so a
// year-end review still finds last year's move-ins.
func defaultAudit() Audit { return Audit{KeepDays: 400} }

// validateFleet checks the [metrics] and [audit] sections; Validate calls
// it. Positivity of keep_days is Validate's general rule for integers.
func (c *Config) validateFleet(bad func(key, reason string)) {
	if l := c.Metrics.Listen; l != "" {
		if r := checkListen(l); r != "" {
			bad("metrics.listen", r)
		}
	}
	if c.Audit.KeepDays > MaxAuditKeepDays {
		bad("audit.keep_days", fmt.Sprintf("%d is over %d days (ten years)", c.Audit.KeepDays, MaxAuditKeepDays))
	}
}

// checkListen returns "" for an address such as 127.0.0.1:9464, else what
// is wrong with it. The host must be named: an empty host would listen on
// every interface, which an operator must ask for (0.0.0.0) on purpose.
func checkListen(addr string) string {
	const example = "such as 127.0.0.1:9464 (this kiosk only) or the kiosk's LAN address and a port"
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("%q is not HOST:PORT, %s", addr, example)
	}
	if host == "" {
		return fmt.Sprintf("%q names no host: write one, %s; 0.0.0.0 listens on every interface", addr, example)
	}
	if ip := net.ParseIP(host); ip == nil && host != "localhost" {
		return fmt.Sprintf("%q: the host must be an IP address or localhost, %s", addr, example)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("%q: the port must be a number from 1 to 65535, %s", addr, example)
	}
	return ""
}
