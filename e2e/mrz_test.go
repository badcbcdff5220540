package e2e

import (
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/cli"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// decodeMRZ decodes what signet mrz read|parse printed, checking that
// the keys a script looks for are there, empty ones included.
func decodeMRZ(t *testing.T, r result) cli.MRZJSON {
	t.Helper()
	var out cli.MRZJSON
	var keys map[string]json.RawMessage
	if err := errors.Join(json.Unmarshal([]byte(r.Stdout), &out), json.Unmarshal([]byte(r.Stdout), &keys)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.Output())
	}
	for _, k := range []string{"format", "lines", "valid", "checks", "document_code", "issuing_state", "number",
		"birth_date", "expiry_date", "sex", "nationality", "surname", "given_names", "optional"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%q missing:\n%s", k, r.Stdout)
		}
	}
	return out
}

func TestMRZParse(t *testing.T) {
	r := signet(t, nil, "mrz", "parse", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
	got := decodeMRZ(t, r)
	if got.Format != "TD3" || !got.Valid || got.Number != "L898902C3" || got.BirthDate != "1974-08-12" ||
		got.ExpiryDate != "2012-04-15" || got.Surname != "ERIKSSON" || got.GivenNames != "ANNA MARIA" ||
		got.Sex != "F" || got.IssuingState != "UTO" || got.Nationality != "UTO" || got.DocumentCode != "P" ||
		len(got.Checks) != 5 || !got.Checks["composite"] {
		t.Errorf("mrz parse:\n%s", r.Stdout)
	}

	r = signet(t, nil, "mrz", "parse", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<11")
	if got := decodeMRZ(t, r); r.Code != 0 || got.Valid || got.Checks["composite"] || !got.Checks["number"] {
		t.Errorf("a failing composite: exit %d\n%s", r.Code, r.Output())
	}
	if r := signet(t, nil, "mrz", "parse", "NOT", "A ZONE"); r.Code != 1 {
		t.Errorf("not a zone: exit %d, want 1\n%s", r.Code, r.Output())
	}
	if r := signet(t, nil, "mrz", "parse", "ONE"); r.Code != 2 {
		t.Errorf("one line: exit %d, want 2\n%s", r.Code, r.Output())
	}
}

func TestMRZRead(t *testing.T) {
	dir := t.TempDir()
	card := filepath.Join(dir, "card.png")
	img, _ := synthetic.New(1280, 720, 3).RenderFrame(synthetic.SharpSteady, 0)
	writePNG(t, card, img)
	r := signet(t, nil, "mrz", "read", "--image", card)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Output())
	}
	got := decodeMRZ(t, r)
	if got.Format != "TD1" || !got.Valid || got.Number != demodata.CardNumber || got.ExpiryDate != demodata.CardExpiry ||
		len(got.Lines) != 3 || got.Lines[0] != demodata.CardMRZ[0] {
		t.Errorf("mrz read of the synthetic card:\n%s", r.Stdout)
	}

	desk := filepath.Join(dir, "desk.png")
	img, _ = synthetic.New(640, 360, 3).RenderFrame(synthetic.NoCard, 0)
	writePNG(t, desk, img)
	if r := signet(t, nil, "mrz", "read", "--image", desk); r.Code != 1 || r.Stdout != "" {
		t.Errorf("empty desk: exit %d, want 1 and no output\n%s", r.Code, r.Output())
	}
	junk := writeFile(t, "junk.jpg", "not a picture")
	if r := signet(t, nil, "mrz", "read", "--image", junk); r.Code != 2 {
		t.Errorf("junk file: exit %d, want 2\n%s", r.Code, r.Output())
	}
	if r := signet(t, nil, "mrz", "read", "--image", filepath.Join(dir, "missing.png")); r.Code != 2 {
		t.Errorf("missing file: exit %d, want 2\n%s", r.Code, r.Output())
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
