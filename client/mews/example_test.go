package mews_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/signet-kiosk/signet/client/mews"
)

// exampleServer is a stand-in for the Mews platform in these examples.
func exampleServer() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/connector/v1/identityDocuments/getAll", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"IdentityDocuments":[
			{"Id":"d2","CustomerId":"c1","Type":"Passport","Number":"M1234567","ExpirationDate":"2040-10-24T00:00:00Z"},
			{"Id":"d1","CustomerId":"c1","Type":"IdentityCard","Number":"ID7654321","ExpirationDate":"2034-12-15"}],
			"Cursor":"d1"}`)
	})
	mux.HandleFunc("/api/connector/v1/identityDocuments/add", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ IdentityDocuments []map[string]any }
		_ = json.NewDecoder(r.Body).Decode(&req)
		for i, d := range req.IdentityDocuments {
			d["Id"] = fmt.Sprintf("new-%d", i+1)
		}
		_ = json.NewEncoder(w).Encode(req)
	})
	mux.HandleFunc("/api/connector/v1/identityDocuments/update", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ IdentityDocuments []json.RawMessage }
		_ = json.NewDecoder(r.Body).Decode(&req)
		fmt.Fprintf(os.Stdout, "sent: %s\n", req.IdentityDocuments[0])
		fmt.Fprint(w, `{"IdentityDocuments":[{"Id":"d1","CustomerId":"c1","Type":"IdentityCard","Number":"ID7654321","IssuingCity":"Brno"}]}`)
	})
	mux.HandleFunc("/api/connector/v1/identityDocuments/clear", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Request-Id", "8a1b")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"Message":"Documents of a checked-in customer cannot be removed."}`)
	})
	return httptest.NewServer(mux)
}

func ExampleNewClient() {
	c, err := mews.NewClient(mews.DemoURL, "example-ct-1", "example-at-1", "Signet 1.0.0",
		mews.WithLanguage("en-US", "en-US"), mews.WithRateLimit(150))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c) // tokens are never printed
	// Output: mews.Client{platform: https://api.mews-demo.com, client: "Signet 1.0.0"}
}

func ExampleDocumentsService_GetAll() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := mews.NewClient(srv.URL, "example-ct-1", "example-at-1", "Signet 1.0.0")
	for d, err := range c.Documents.GetAll(context.Background(), mews.DocumentListOptions{CustomerIDs: []string{"c1"}}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.ID, d.Type, d.ExpirationDate)
	}
	// Output:
	// d2 Passport 2040-10-24
	// d1 IdentityCard 2034-12-15
}

func ExampleDocumentsService_Add() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := mews.NewClient(srv.URL, "example-ct-1", "example-at-1", "Signet 1.0.0")
	created, err := c.Documents.Add(context.Background(), []mews.Document{{
		CustomerID: "c1", Type: mews.IdentityCard, Number: "D23145890",
		ExpirationDate: mews.Date{Year: 2034, Month: 12, Day: 15}, IssuingCountryCode: "SE",
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created[0].ID, created[0].ExpirationDate)
	// Output: new-1 2034-12-15
}

func ExampleDocumentsService_Update() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := mews.NewClient(srv.URL, "example-ct-1", "example-at-1", "Signet 1.0.0")
	_, err := c.Documents.Update(context.Background(), []mews.DocumentUpdate{{
		ID:                 "d1",
		IssuingCity:        mews.Set("Brno"),         // {"Value": "Brno"}
		ExpirationDate:     mews.Clear[mews.Date](),  // {"Value": null}
		IssuingCountryCode: mews.Unchanged[string](), // left out
	}})
	if err != nil {
		log.Fatal(err)
	}
	// Output: sent: {"Id":"d1","ExpirationDate":{"Value":null},"IssuingCity":{"Value":"Brno"}}
}

func ExampleUserMessage() {
	srv := exampleServer()
	defer srv.Close()
	c, _ := mews.NewClient(srv.URL, "example-ct-1", "example-at-1", "Signet 1.0.0")
	err := c.Documents.Clear(context.Background(), []string{"c1"})
	if msg, ok := mews.UserMessage(err); ok {
		fmt.Println("show staff:", msg)
	}
	fmt.Println(mews.IsForbidden(err), err)
	// Output:
	// show staff: Documents of a checked-in customer cannot be removed.
	// true mews: identityDocuments/clear: 403 Forbidden: Documents of a checked-in customer cannot be removed. (request id 8a1b)
}
