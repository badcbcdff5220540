package cli

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/signet-kiosk/signet/internal/demodata"
)

func TestMRZParse(t *testing.T) {
	code, out, errs := runCLI(t, append([]string{"mrz", "parse"}, demodata.CardMRZ[:]...)...)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(out, demodata.CardMRZ[0]) {
		t.Errorf("the lines are not printed as they stand:\n%s", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	want := map[string]any{
		"format": "TD1", "lines": []any{demodata.CardMRZ[0], demodata.CardMRZ[1], demodata.CardMRZ[2]}, "valid": true,
		"checks":        map[string]any{"number": true, "birth_date": true, "expiry_date": true, "composite": true},
		"document_code": "I", "issuing_state": "UTO", "number": demodata.CardNumber, "birth_date": "1974-08-12",
		"expiry_date": demodata.CardExpiry, "sex": "F", "nationality": "UTO", "surname": "ERIKSSON",
		"given_names": "ANNA MARIA", "optional": "",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mrz parse (-want +got):\n%s", diff)
	}
}

func TestMRZParseExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"mrz", "parse", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<11"}, 0}, // found, composite fails
		{[]string{"mrz", "parse", "HELLO", "WORLD"}, 1},
		{[]string{"mrz", "parse", "ONE"}, 2},
		{[]string{"mrz", "parse", "A", "B", "C", "D"}, 2},
		{[]string{"mrz", "read"}, 2},
		{[]string{"mrz", "read", "--image", filepath.Join(t.TempDir(), "missing.png")}, 2},
	}
	for _, tc := range tests {
		if code, _, errs := runCLI(t, tc.args...); code != tc.code {
			t.Errorf("%q: exit %d, want %d (stderr %s)", tc.args, code, tc.code, errs)
		}
	}
}

func TestMRZReadBadAndBlankFiles(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.png")
	if err := os.WriteFile(bad, []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI(t, "mrz", "read", "--image", bad); code != 2 {
		t.Errorf("undecodable file: exit %d, want 2", code)
	}
	blank := filepath.Join(dir, "blank.png")
	img := image.NewGray(image.Rect(0, 0, 320, 200))
	for i := range img.Pix {
		img.Pix[i] = 0xf0
	}
	img.Set(10, 10, color.Black)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blank, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "mrz", "read", "--image", blank); code != 1 || out != "" {
		t.Errorf("blank image: exit %d, output %q; want 1 and nothing", code, out)
	}
}
