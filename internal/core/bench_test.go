package core

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The transport's own cost: one GET of a small JSON document through the SDK
// core (auth, headers, retry machinery, body buffering, decoding) against a
// hand-written net/http + encoding/json call to the same loopback server in
// the same run. Compare with:
//
//	go test -run '^$' -bench 'OneRequest' -benchmem ./internal/core/
const benchBody = `{"id":"a1","name":"Example","items":[1,2,3,4,5],"nested":{"k":"v","n":12.5}}`

type benchDoc struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Items  []int  `json:"items"`
	Nested struct {
		K string  `json:"k"`
		N float64 `json:"n"`
	} `json:"nested"`
}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func BenchmarkOneRequestRaw(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer hc.CloseIdleConnections()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL+"/items/a1", nil)
		req.Header.Set("Authorization", "Bearer tok")
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var d benchDoc
		err = json.NewDecoder(resp.Body).Decode(&d)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || d.ID != "a1" {
			b.Fatal(err)
		}
	}
}

func BenchmarkOneRequestSDK(b *testing.B) {
	srv := benchServer(b)
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	c, err := New(Config{Provider: "bench", DefaultBaseURL: srv.URL, Auth: BearerToken("tok"),
		Settings: Settings{HTTPClient: &http.Client{Transport: tr}}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var d benchDoc
		if _, err := c.DoJSON(ctx, &Request{Method: "GET", Path: Path("items", "a1")}, &d); err != nil || d.ID != "a1" {
			b.Fatal(err)
		}
	}
}
