package storegister_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/signet-kiosk/signet/client/retry"
	"github.com/signet-kiosk/signet/client/storegister"
)

func ExampleClient_IdentityDocumentTypes() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"data":[{"id":"0b6a1c6e-1f0e-4c8e-9d1a-2b3c4d5e6f70","name":"Passport"}],"succeeded":true,"status":"SUCCESS","errors":null}`)
	}))
	defer srv.Close()

	c, err := storegister.NewClient(srv.URL, "example-key", storegister.WithUserAgent("Signet/1.0"))
	if err != nil {
		panic(err)
	}
	types, err := c.IdentityDocumentTypes(context.Background(), "7c9e6679-7425-40de-944b-e07fc1f90ae7")
	fmt.Println(types, err)
	// Output: [{0b6a1c6e-1f0e-4c8e-9d1a-2b3c4d5e6f70 Passport}] <nil>
}

func ExampleClient_SaveIdentityDocument() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"data":null,"succeeded":false,"status":"ERROR","errors":[{"code":"INVALID_DOCUMENT_FILE_DATA"}]}`)
	}))
	defer srv.Close()

	c, _ := storegister.NewClient(srv.URL, "example-key")
	_, err := c.SaveIdentityDocument(context.Background(), "7c9e6679-7425-40de-944b-e07fc1f90ae7", storegister.IdentityDocument{
		TypeID:      "0b6a1c6e-1f0e-4c8e-9d1a-2b3c4d5e6f70",
		Filename:    "front.jpg",
		ContentType: "image/jpeg",
		Body:        strings.NewReader("not really a JPEG"),
	})
	var ae *storegister.APIError
	switch {
	case errors.Is(err, retry.ErrGaveUp):
		fmt.Println("try later")
	case errors.As(err, &ae):
		fmt.Println(ae.Permanent(), ae.CodeList(), ae.TranslationKey())
	}
	// Output: true INVALID_DOCUMENT_FILE_DATA error.storegister.INVALID_DOCUMENT_FILE_DATA
}
