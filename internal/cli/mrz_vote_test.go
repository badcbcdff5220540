package cli

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/camera/synthetic"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// TestMRZReadVotes reads frames of the synthetic camera's card given as
// several --image flags: the vote is the demo card's zone, every frame
// agreeing on every line; a file that is not an image still fails the
// command with exit 2.
func TestMRZReadVotes(t *testing.T) {
	dir := t.TempDir()
	var args []string
	conds := []synthetic.Conditions{synthetic.SharpSteady, {Card: true, Rotate: 4}}
	for i, c := range conds {
		img, _ := synthetic.New(1280, 720, int64(7+i)).RenderFrame(c, 0)
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "frame"+string(rune('a'+i))+".png")
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--image", p)
	}
	code, out, errs := runCLI(t, append([]string{"mrz", "read"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Lines  []string `json:"lines"`
		Valid  bool     `json:"valid"`
		Frames int      `json:"frames"`
		Agreed []int    `json:"agreed"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !got.Valid || strings.Join(got.Lines, "\n") != strings.Join(demodata.CardMRZ[:], "\n") {
		t.Errorf("voted lines %q valid=%t, want the demo card", got.Lines, got.Valid)
	}
	if got.Frames != 2 || len(got.Agreed) != 3 || got.Agreed[0] != 2 || got.Agreed[1] != 2 || got.Agreed[2] != 2 {
		t.Errorf("frames %d agreed %v, want 2 frames agreeing on all 3 lines", got.Frames, got.Agreed)
	}
	bad := filepath.Join(dir, "bad.png")
	if err := os.WriteFile(bad, []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI(t, append([]string{"mrz", "read", "--image", bad}, args...)...); code != 2 {
		t.Errorf("one undecodable file among the frames: exit %d, want 2", code)
	}
}
