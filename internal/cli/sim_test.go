package cli

import (
	"strings"
	"testing"
)

func TestSimRefusesBadFaultRates(t *testing.T) {
	for _, tt := range []struct{ flag, value, want string }{
		{"--error-rate", "NaN", "error-rate NaN"},
		{"--drop-rate", "+Inf", "drop-rate +Inf"},
		{"--fail-rate", "-Inf", "fail-rate -Inf"},
		{"--rate-limit-rate", "1.5", "rate-limit-rate 1.5"},
		{"--error-rate", "-0.1", "error-rate -0.1"},
		{"--latency", "-1s", "latency -1s"},
	} {
		code, out, stderr := runCLI(t, "sim", "--addr", "127.0.0.1:0", tt.flag, tt.value)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) || out != "" {
			t.Errorf("sim %s %s: exit %d, stdout %q, stderr %q; want 2 and %q", tt.flag, tt.value, code, out, stderr, tt.want)
		}
	}
}
