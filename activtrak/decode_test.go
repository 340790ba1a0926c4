package activtrak

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/jsondec"
)

// fakeLogPage is the first page of n activity-log records as the fake
// serves it.
func fakeLogPage(t testing.TB, n int) []byte {
	t.Helper()
	srv := activtraktest.NewServer(activtraktest.WithDays(1), activtraktest.WithRecordsPerDay(n))
	defer srv.Close() // only the page is needed: no server running under a benchmark
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		srv.URL+"/reports/v2/activitylog?pageSize="+strconv.Itoa(n)+"&startDate="+srv.StartDate().Format("2006-01-02"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", activtraktest.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %v: %s", resp.Status, err, b)
	}
	return b
}

// decodeLogPage is DecodeBody's result.
func decodeLogPage(body []byte) ([]ActivityLogEntry, string, error) {
	p := logPage{size: 1000}
	err := p.DecodeBody(body)
	return p.items, p.cursor, err
}

// The fast path reads the pages the API sends to encoding/json's values: it
// is not silently falling back.
func TestLogPageFastReadsTheCommonShape(t *testing.T) {
	for name, body := range map[string][]byte{
		"fake":  fakeLogPage(t, 200),
		"empty": []byte(`{"activity": [], "cursor": "c"}`),
		"nulls": []byte(`{"activity": [null, {"logId": null, "popupAlarm": null, "emailAlarm": false, "terminate": true, "websiteId": 5, "date": null, "duration": 1.5}, {"date": 5}, {"date": "2024-06-03 08:44:51+02:00"}], "cursor": null}`),
		"times": []byte(`{"activity": [{"time": "2024-06-03T03:44:51.994-05:00", "time_utc": null, "date": "2024-06-01"}, {"time": "x", "date": "2024-06-01T00:00:00"}, {"time_utc": "2024-06-03T08:44:51Z", "time": "2024-06-03T03:44:51-05:00"}], "cursor": "c"}`),
	} {
		p := logPage{size: 1000}
		if !p.decodeFast(body) {
			t.Errorf("%s: the fast path gave up", name)
			continue
		}
		items, cursor, err := decodeLogPageStd(body, 1000)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(p.items, items) || p.cursor != cursor {
			t.Errorf("%s: fast %+v %q\nstd %+v %q", name, p.items, p.cursor, items, cursor)
		}
	}
	items, cursor, _ := decodeLogPage(fakeLogPage(t, 200))
	if len(items) != 200 || cursor == "" || items[0].Time.IsZero() || items[0].Time.Nanosecond() == 0 && items[1].Time.Nanosecond() == 0 || items[0].Location == "" {
		t.Fatalf("fake page: %d items, cursor %q, first %+v", len(items), cursor, items[0])
	}
}

// Off the common shape, the page is encoding/json's.
func TestLogPageFallsBack(t *testing.T) {
	for _, body := range []string{
		`{"activity": [{"logId": 1, "LogId": 2}]}`,
		`{"activity": [{"logId": 1}], "activity": [{"user": "u"}]}`,
		`{"activity": [{"user": "\udfff"}]}`,
		`{"activity": [{"logId": 1.5}]}`,
		`{"activity": [{"productivity": 1e2}]}`,
		`{"activity": [{"popupAlarm": 1}]}`,
		`{"activity": {}}`,
		`{"activity": []}]`,
		`null`,
	} {
		items, cursor, err := decodeLogPage([]byte(body))
		wantItems, wantCursor, wantErr := decodeLogPageStd([]byte(body), 1000)
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(items, wantItems) || cursor != wantCursor {
			t.Errorf("%s: got %+v %q %v; want %+v %q %v", body, items, cursor, err, wantItems, wantCursor, wantErr)
		}
		p := logPage{size: 1000}
		if p.decodeFast([]byte(body)) {
			t.Errorf("%s: the fast path took it", body)
		}
	}
}

// parseCanonical reads the API's timestamps as parseTimestamp does.
func TestParseCanonical(t *testing.T) {
	for _, s := range []string{"2024-06-03T08:44:51", "2024-06-03T08:44:51.994", "2024-02-29T23:59:59.123456789", "0000-01-01T00:00:00.1",
		"2024-06-03T08:44:51.994Z", "2024-06-03T08:44:51Z"} {
		got, ok := parseCanonical([]byte(s))
		want, wantOK := parseTimestamp(s)
		if !ok || !wantOK || got != want {
			t.Errorf("%s: %v %v, parseTimestamp %v %v", s, got, ok, want, wantOK)
		}
	}
	for _, s := range []string{"2023-02-29T00:00:00", "2024-06-03T24:00:00", "2024-06-03T08:44:51+02:00", "2024-06-03T08:44:51.", "2024-06-03T08:44:51.Z", "2024-06-03T08:44:51ZZ", "2024-06-03T08:44:51.1234567891", "2024-06-03t08:44:51", " 2024-06-03T08:44:51"} {
		if _, ok := parseCanonical([]byte(s)); ok {
			t.Errorf("%s: parseCanonical took it", s)
		}
	}
}

func FuzzParseCanonical(f *testing.F) {
	f.Add("2024-06-03T08:44:51.994")
	f.Add("2024-02-29T23:59:59")
	f.Add("2024-06-03T08:44:51.994Z")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseCanonical([]byte(s))
		if !ok {
			return
		}
		if want, wantOK := parseTimestamp(s); !wantOK || got != want {
			t.Fatalf("%q: %v; parseTimestamp %v %v", s, got, want, wantOK)
		}
	})
}

// FuzzLogPageDifferential: DecodeBody (the fast path, falling back to
// encoding/json) gives encoding/json's result on every input.
func FuzzLogPageDifferential(f *testing.F) {
	f.Add(fakeLogPage(f, 3))
	f.Add([]byte(`{"activity": [null, {"logId": -0, "popupAlarm": null, "emailAlarm": false, "terminate": true, "websiteId": 5, "date": "2024-06-03T08:44:51z", "duration": 1.5e1, "user": "\u00e9\"x"}], "cursor": "c"}`))
	f.Add([]byte(`{"activity": [{"date": [1, {"a": null}], "url": "", "x": 1}], "cursor": null}`))
	f.Add([]byte(`{"activity": [{"time": "2024-06-03T03:44:51.994-05:00", "time_utc": "", "time_zone": null, "location": "Office", "titleBar": "t", "website": null, "subpage": "/", "screenshotUrl": null}, {"time": 5, "date": "2024-06-03"}], "cursor": "c"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, cursor, err := decodeLogPage(body)
		wantItems, wantCursor, wantErr := decodeLogPageStd(body, 1000)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json's %v", err, wantErr)
		}
		if !reflect.DeepEqual(items, wantItems) || cursor != wantCursor {
			t.Fatalf("decoded\n%#v %q\nencoding/json\n%#v %q", items, cursor, wantItems, wantCursor)
		}
	})
}

// The fast path reads every field encoding/json reads: a field added to
// ActivityLogEntry without its decoder would otherwise be dropped silently.
func TestLogPageFastKnowsEveryField(t *testing.T) {
	got, want := jsondec.JSONNames(reflect.TypeFor[activityLogWire]()), logNames.Names()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("encoding/json reads %v, the fast path %v", got, want)
	}
}

// BenchmarkDecodeLogPageFast decodes one page of 1000 records from the
// fake, from memory.
func BenchmarkDecodeLogPageFast(b *testing.B) {
	body := fakeLogPage(b, MaxPageSize)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		p := logPage{size: MaxPageSize}
		if !p.decodeFast(body) {
			b.Fatal("the fast path gave up")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*MaxPageSize), "ns/item")
}
