package sim

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/signet-kiosk/signet/capture/imagecheck/imagechecktest"
	"github.com/signet-kiosk/signet/internal/demodata"
)

// Uploads are outside bytes: a valid 20000×20000 PNG (0.4 MB, 1.6 GB once
// decoded) is refused from its header, as a document and as a signature,
// without the simulator decoding it.
func TestUploadImageBombRefused(t *testing.T) {
	s := New()
	key := map[string]string{"X-API-Key": demodata.StoRegisterAPIKey}
	bomb := string(imagechecktest.BlankPNG(20000, 20000))

	body := "--B\r\nContent-Disposition: form-data; name=\"documentTypeInfoId\"\r\n\r\n" + passport + "\r\n" +
		"--B\r\nContent-Disposition: form-data; name=\"identityDocuments\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n" +
		bomb + "\r\n--B--\r\n"
	code, got := raw(t, s.Handler(), "POST", "/v1/booking/"+booking+"/identity-document/save/", "multipart/form-data; boundary=B", body, key)
	if code != 400 || !strings.Contains(got, "INVALID_DOCUMENT_FILE_DATA") {
		t.Errorf("document: %d %s", code, got)
	}

	sig := `{"signature":"` + base64.StdEncoding.EncodeToString([]byte(bomb)) + `"}`
	code, got = raw(t, s.Handler(), "POST", "/v1/booking/"+booking+"/document/save", "application/json", sig, key)
	if code != 400 || !strings.Contains(got, "INVALID_PARAM_SIGNATURE") {
		t.Errorf("signature: %d %s", code, got)
	}
	if n := len(s.Documents()) + len(s.Signatures()); n != 0 {
		t.Errorf("%d uploads stored", n)
	}
}
