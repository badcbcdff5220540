package e2e

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/color"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-kiosk/signet/client/sim"
	"github.com/signet-kiosk/signet/client/storegister"
	"github.com/signet-kiosk/signet/internal/demodata"
	"github.com/signet-kiosk/signet/internal/imagetest"
)

// startStoRegisterSim runs a simulator in the test process and returns it
// with the environment that points the binary at it.
// startSim starts the simulator of both APIs on loopback for this test and
// returns it with its address; it stops when the test ends.
func startSim(t *testing.T, opts ...sim.Option) (*sim.Server, string) {
	t.Helper()
	s := sim.New(opts...)
	ctx, cancel := context.WithCancel(context.Background())
	url, err := s.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); s.Close() })
	return s, url
}

func startStoRegisterSim(t *testing.T, opts ...sim.Option) (*sim.Server, []string) {
	t.Helper()
	s, url := startSim(t, opts...)
	return s, []string{
		"SIGNET_STOREGISTER_URL=" + url + sim.StoRegisterPrefix,
		"SIGNET_STOREGISTER_API_KEY=" + demodata.StoRegisterAPIKey,
	}
}

func writeBytes(t *testing.T, name string, b []byte) string {
	t.Helper()
	return writeFile(t, name, string(b))
}

func signaturePNG(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 288, 112))
	for x := 20; x < 260; x++ {
		img.Set(x, 56+(x%7), color.NRGBA{0, 0, 0, 255})
	}
	return imagetest.PNG(t, img)
}

func documentJPEG(t *testing.T) []byte {
	return imagetest.JPEG(t, image.NewRGBA(image.Rect(0, 0, 320, 200)))
}

func TestBookingCommands(t *testing.T) {
	s, env := startStoRegisterSim(t)
	anna := demodata.People[0]

	r := signet(t, env, "booking", "show", "--booking", anna.BookingID)
	if r.Code != 0 {
		t.Fatalf("booking show: exit %d\n%s", r.Code, r.Output())
	}
	b := decodeJSON[struct {
		ID         string
		Tenant     struct{ FirstName, LastName, Email, Phone string }
		Unit       struct{ Name, Size string }
		MoveInDate string
	}](t, "booking show", r.Stdout)
	if b.ID != anna.BookingID || b.Tenant.FirstName != anna.FirstName || b.Tenant.Email != anna.Email ||
		b.Tenant.Phone != anna.Phone || b.MoveInDate != anna.MoveIn || b.Unit.Name == "" {
		t.Errorf("booking show = %+v", b)
	}

	// The test booking from the environment stands in for --booking.
	r = signet(t, append(env, "SIGNET_STOREGISTER_TEST_BOOKING="+anna.BookingID), "booking", "id-types")
	if r.Code != 0 {
		t.Fatalf("booking id-types: exit %d\n%s", r.Code, r.Output())
	}
	types := decodeJSON[[]struct{ ID, Name string }](t, "booking id-types", r.Stdout)
	if len(types) != 4 || types[0].Name != "Passport" || !storegister.ValidID(types[0].ID) {
		t.Errorf("id-types = %+v", types)
	}

	sig := signaturePNG(t)
	r = signet(t, env, "booking", "signature", "--booking", anna.BookingID, "--png", writeBytes(t, "sig.png", sig))
	ref := strings.TrimSpace(r.Stdout)
	if r.Code != 0 || !storegister.ValidID(ref) {
		t.Fatalf("booking signature: exit %d\n%s", r.Code, r.Output())
	}
	if got := s.Signatures(); len(got) != 1 || !bytes.Equal(got[0].PNG, sig) || got[0].ReferenceID != ref {
		t.Errorf("simulator received %d signatures", len(got))
	}

	jp := documentJPEG(t)
	for i, args := range [][]string{
		{"--file", writeBytes(t, "front.jpg", jp)},
		{"--file", writeBytes(t, "back.bin", jp), "--content-type", "image/jpeg"},
	} {
		r = signet(t, env, append([]string{"booking", "id-document", "--booking", anna.BookingID, "--type", types[1].ID}, args...)...)
		ref = strings.TrimSpace(r.Stdout)
		if r.Code != 0 || !storegister.ValidID(ref) {
			t.Fatalf("booking id-document %v: exit %d\n%s", args, r.Code, r.Output())
		}
		docs := s.Documents()
		if len(docs) != i+1 {
			t.Fatalf("simulator holds %d documents", len(docs))
		}
		d := docs[i]
		wantName := []string{"front.jpg", "back.bin"}[i]
		if d.ReferenceID != ref || d.TypeID != types[1].ID || d.Filename != wantName || d.ContentType != "image/jpeg" || !bytes.Equal(d.Data, jp) {
			t.Errorf("document %d: ref %s type %s name %s ctype %s, %d bytes", i, d.ReferenceID, d.TypeID, d.Filename, d.ContentType, len(d.Data))
		}
	}
}

func TestBookingExitCodes(t *testing.T) {
	anna := demodata.People[0].BookingID
	sigFile := writeBytes(t, "sig.png", signaturePNG(t))
	jpgFile := writeBytes(t, "id.jpg", documentJPEG(t))
	txtFile := writeFile(t, "id.jpg", "this is not an image")
	passport := demodata.DocumentTypes[0].ID
	tests := []struct {
		name      string
		faults    sim.Faults
		env       []string // replaces the simulator's environment when set
		args      []string
		wantCode  int
		wantCodes string // expected "codes:" line on stderr
	}{
		{name: "unknown booking", args: []string{"booking", "show", "--booking", "00000000-0000-4000-8000-000000000000"}, wantCode: 1, wantCodes: "NO_RECORDS_FOUND"},
		{name: "wrong key", env: []string{"SIGNET_STOREGISTER_API_KEY=wrong-key-123"}, args: []string{"booking", "id-types", "--booking", anna}, wantCode: 1},
		{name: "undecodable image", args: []string{"booking", "id-document", "--booking", anna, "--type", passport, "--file", txtFile, "--content-type", "image/jpeg"}, wantCode: 1, wantCodes: "INVALID_DOCUMENT_FILE_DATA"},
		{name: "unknown type", args: []string{"booking", "id-document", "--booking", anna, "--type", "00000000-0000-4000-8000-000000000000", "--file", jpgFile}, wantCode: 1, wantCodes: "INVALID_PARAM_DOCUMENT_TYPE_INFO_ID"},
		{name: "not a GUID", args: []string{"booking", "show", "--booking", "12345"}, wantCode: 2},
		{name: "not a PNG", args: []string{"booking", "signature", "--booking", anna, "--png", jpgFile}, wantCode: 2},
		{name: "missing file", args: []string{"booking", "id-document", "--booking", anna, "--type", passport, "--file", "/nonexistent.jpg"}, wantCode: 2},
		{name: "no booking", args: []string{"booking", "show"}, wantCode: 2},
		{name: "unknown flag", args: []string{"booking", "show", "--nope"}, wantCode: 2},
		{name: "not configured", env: []string{"SIGNET_STOREGISTER_URL=", "SIGNET_STOREGISTER_API_KEY="}, args: []string{"booking", "show", "--booking", anna}, wantCode: 2},
		{name: "500s", faults: sim.Faults{ErrorRate: 1}, args: []string{"booking", "show", "--booking", anna}, wantCode: 3},
		{name: "dropped connections", faults: sim.Faults{DropRate: 1}, args: []string{"booking", "id-types", "--booking", anna}, wantCode: 3},
		{name: "SOMETHING_WENT_WRONG", faults: sim.Faults{FailRate: 1, FailCode: "SOMETHING_WENT_WRONG", FailShape: sim.ShapeKey}, args: []string{"booking", "signature", "--booking", anna, "--png", sigFile}, wantCode: 3, wantCodes: "SOMETHING_WENT_WRONG"},
		{name: "429 then success", faults: sim.Faults{RateLimitRate: 1, Limit: 1, RetryAfter: time.Second}, args: []string{"booking", "id-types", "--booking", anna}, wantCode: 0},
		{name: "500 then success", faults: sim.Faults{ErrorRate: 1, Limit: 2}, args: []string{"booking", "id-document", "--booking", anna, "--type", passport, "--file", jpgFile}, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, env := startStoRegisterSim(t, sim.WithFaults(tt.faults))
			env = append(env, tt.env...)
			env = append(env, "SIGNET_LOG_LEVEL=debug")
			r := signet(t, env, tt.args...)
			if r.Code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", r.Code, tt.wantCode, r.Output())
			}
			if tt.wantCodes != "" && !strings.Contains(r.Stderr, "codes: "+tt.wantCodes) {
				t.Errorf("stderr lacks codes: %s\n%s", tt.wantCodes, r.Stderr)
			}
			for _, secret := range []string{demodata.StoRegisterAPIKey, "wrong-key-123"} {
				if strings.Contains(r.Output(), secret) {
					t.Errorf("output holds the API key:\n%s", r.Output())
				}
			}
		})
	}
}

func TestSimCommand(t *testing.T) {
	if r := signet(t, nil, "sim", "--addr", "0.0.0.0:0"); r.Code != 2 || !strings.Contains(r.Stderr, "loopback") {
		t.Errorf("non-loopback address: exit %d\n%s", r.Code, r.Output())
	}
	if r := signet(t, nil, "sim", "--error-rate", "2"); r.Code != 2 {
		t.Errorf("bad rate: exit %d\n%s", r.Code, r.Output())
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "sim", "--addr", "127.0.0.1:0", "--latency", "1ms")
	cmd.Env = baseEnv(t)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var url string
	vars := map[string]string{}
	for sc.Scan() {
		line := sc.Text()
		if u, ok := strings.CutPrefix(line, "signet sim: listening on "); ok {
			url = u
		}
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			k, v, _ := strings.Cut(kv, "=")
			vars[k] = v
		}
		if strings.HasPrefix(line, "export SIGNET_MEWS_ACCESS_TOKEN") {
			break
		}
	}
	if url == "" {
		t.Fatal("signet sim printed no address")
	}
	resp, err := http.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// The binary against the binary, with the variables it printed.
	var env []string
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	if r := signet(t, env, "booking", "show"); r.Code != 0 || !strings.Contains(r.Stdout, demodata.People[0].Email) {
		t.Errorf("booking show against signet sim: exit %d\n%s", r.Code, r.Output())
	}

	cmd.Process.Signal(syscall.SIGINT)
	go io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		t.Errorf("signet sim after SIGINT: %v", err)
	}
}
