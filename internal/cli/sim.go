package cli

import (
	"context"
	"fmt"
	"net"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/internal/config"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/redact"
)

func runSim(ctx context.Context, env *Env, args []string) error {
	fs := env.FlagSet("sim", "[--addr 127.0.0.1:8787] [--allow-remote] [--seed N] [fault flags]")
	addr := fs.String("addr", "127.0.0.1:8787", "address to listen on (port 0 picks a free port)")
	remote := fs.Bool("allow-remote", false, "allow an address other than loopback")
	seed := fs.Uint64("seed", 1, "seed of the fault and id random source")
	var f sim.Faults
	fs.DurationVar(&f.Latency, "latency", 0, "latency added to every API answer")
	fs.Float64Var(&f.ErrorRate, "error-rate", 0, "share of requests answered 500 (0–1)")
	fs.Float64Var(&f.RateLimitRate, "rate-limit-rate", 0, "share of requests answered 429 (0–1)")
	fs.DurationVar(&f.RetryAfter, "retry-after", 0, "Retry-After sent with a 429 (default 1s)")
	fs.BoolVar(&f.RetryAfterDate, "retry-after-date", false, "send Retry-After as an HTTP date instead of seconds")
	fs.Float64Var(&f.DropRate, "drop-rate", 0, "share of connections dropped mid-response (0–1)")
	fs.Float64Var(&f.FailRate, "fail-rate", 0, "share of StoRegister requests answered succeeded:false (0–1)")
	fs.StringVar(&f.FailCode, "fail-code", "FAILED", "code of the succeeded:false answers")
	shape := fs.String("fail-shape", "objects", "errors list of those answers: objects, strings, errorCode, key, null")
	fs.IntVar(&f.Limit, "fault-limit", 0, "stop injecting faults after this many (0: never)")
	if err := Parse(fs, args, false); err != nil {
		return err
	}
	var err error
	if f.FailShape, err = sim.ParseShape(*shape); err != nil {
		return Usagef("%v", err)
	}
	if err := f.Validate(); err != nil {
		return Usagef("%v", err) // one line per problem, each naming its flag
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return Usagef("--addr %q: %v", *addr, err)
	}
	if !config.IsLoopback(host) && !*remote {
		return Usagef("--addr %s is not a loopback address: the simulator accepts public credentials; add --allow-remote to serve other machines", *addr)
	}

	logger := redact.NewLogger(env.Stderr, "info", "text")
	if cfg, err := env.Config(); err == nil && cfg != nil {
		logger = env.Logger()
	}
	s := sim.New(sim.WithSeed(*seed), sim.WithFaults(f), sim.WithLogger(logger))
	url, err := s.Start(ctx, *addr)
	if err != nil {
		return Usagef("%v", err)
	}
	defer s.Close()
	fmt.Fprintf(env.Stdout, "signet sim: listening on %s\n", url)
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvStoRegisterURL, url+sim.StoRegisterPrefix)
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvStoRegisterKey, demodata.StoRegisterAPIKey)
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvStoRegisterTestB, demodata.People[0].BookingID)
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvMewsURL, s.MewsURL())
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvMewsClientToken, demodata.MewsClientToken)
	fmt.Fprintf(env.Stdout, "export %s=%s\n", config.EnvMewsAccessToken, demodata.MewsAccessToken)
	if f != (sim.Faults{FailCode: "FAILED", FailShape: sim.ShapeObjects}) {
		fmt.Fprintf(env.Stdout, "faults: %+v\n", f)
	}
	<-ctx.Done()
	fmt.Fprintln(env.Stdout, "signet sim: stopped")
	return nil
}
