package sdelements

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/activitysdk/activity-go/internal/jsondec"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
)

// fakePage is one page of n activities as the fake serves it.
func fakePage(t testing.TB, n int) []byte {
	t.Helper()
	srv := sdelementstest.NewServer(sdelementstest.WithActivities(300))
	defer srv.Close() // only the page is needed: no server running under a benchmark
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+"/api/v2/activities/?page_size="+strconv.Itoa(n), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+sdelementstest.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %v", resp.Status, err)
	}
	return b
}

// The fast path reads the pages the API sends (the fake's, the
// documentation's), to the same values as encoding/json; it is not silently
// falling back.
func TestDecodePageFastReadsTheCommonShape(t *testing.T) {
	for name, body := range map[string][]byte{
		"fake":  fakePage(t, 200),
		"spec":  []byte(specPage),
		"bare":  []byte(`[{"id": 1, "name": "LoggedInActivity", "actor": null, "text": "x \u00e9\n", "date": "2016-03-30T15:14:46.634929+00:00", "data": null, "icon": "user", "log_level": ""}]`),
		"empty": []byte(`{"count": 0, "next": null, "previous": null, "results": []}`),
	} {
		fast, ok := decodePageFast(body)
		if !ok {
			t.Errorf("%s: the fast path gave up", name)
			continue
		}
		std, err := decodePageStd(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Errorf("%s: fast %+v\nstd %+v", name, fast, std)
		}
	}
	// 200 activities, with data and actors.
	fast, _ := decodePageFast(fakePage(t, 200))
	if len(fast.Results) != 200 || fast.Results[0].Data == nil || fast.Count == nil || *fast.Count != 300 || fast.Next == nil {
		t.Fatalf("fake page: %d results, count %v, next %v", len(fast.Results), fast.Count, fast.Next)
	}
}

// Off the common shape, decodePage is encoding/json's decoding: the same
// values, the same errors.
func TestDecodePageFallsBack(t *testing.T) {
	for _, body := range []string{
		`{"results": [{"id": 1, "ID": 2}]}`,                    // case-folded duplicate: encoding/json keeps the last
		`{"results": [{"id": 1}], "results": [{"text": "a"}]}`, // duplicate: merged
		`{"results": [{"text": "\ud800"}]}`,                    // lone surrogate: U+FFFD
		"{\"results\": [{\"text\": \"\xff\"}]}",                // invalid UTF-8: U+FFFD
		`{"results": [{"id": 1.5}]}`,                           // error
		`{"results": [{"date": "2016-03-30"}]}`,                // error
		`{"results": [{"id": 99999999999999999999}]}`,          // error
		`{"results": [{"\u0069d": 7}]}`,                        // escaped key
		`{"results": [], "count": 3} x`,                        // error
		`{"results": null}`,                                    // error
		`null`,                                                 // error
	} {
		got, gotErr := decodePage([]byte(body))
		want, wantErr := decodePageStd([]byte(body))
		if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v, %v", body, got, gotErr, want, wantErr)
		}
		if _, ok := decodePageFast([]byte(body)); ok {
			t.Errorf("%s: the fast path took it", body)
		}
	}
}

// FuzzDecodePageDifferential: decodePage (the fast path, falling back to
// encoding/json) gives encoding/json's result on every input: the same page,
// or an error from both.
func FuzzDecodePageDifferential(f *testing.F) {
	f.Add(fakePage(f, 3))
	f.Add([]byte(specPage))
	f.Add([]byte(`[{"id": 1, "actor": 5, "data": {"a": [1, 2.5e3, "x"]}, "date": null, "log_level": "success"}]`))
	f.Add([]byte(`{"count": 1, "next": "http://x/api/v2/activities/?page=2", "results": [{"id": -0, "text": "\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"}]}`))
	f.Add([]byte(`{"results": [null, {"Icon": "x", "name": null}], "extra": [[[{}]]], "count": null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, gotErr := decodePage(body)
		want, wantErr := decodePageStd(body)
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json's %v", gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoded\n%#v\nencoding/json\n%#v", got, want)
		}
	})
}

// The fast path reads every field encoding/json reads: a field added to
// Activity without its decoder would otherwise be dropped silently.
func TestDecodePageFastKnowsEveryField(t *testing.T) {
	got, want := jsondec.JSONNames(reflect.TypeFor[Activity]()), activityNames.Names()
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("encoding/json reads %v, the fast path %v", got, want)
	}
}

// BenchmarkDecodePageFast decodes one page of 200 activities from the fake,
// from memory.
func BenchmarkDecodePageFast(b *testing.B) {
	body := fakePage(b, 200)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, ok := decodePageFast(body); !ok {
			b.Fatal("the fast path gave up")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*200), "ns/item")
}
