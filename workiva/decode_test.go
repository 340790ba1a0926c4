package workiva

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/activitysdk/activity-go/internal/jsondec"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// fakeActivityPage is the first page of n activities as the fake serves it.
func fakeActivityPage(t testing.TB, n int) []byte {
	t.Helper()
	srv := workivatest.NewServer(workivatest.WithActivities(n + 1))
	defer srv.Close() // only the page is needed: no server running under a benchmark
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {workivatest.ClientID}, "client_secret": {workivatest.ClientSecret}}
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+workivatest.TokenPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	tok := getBody(t, req)
	tok = tok[strings.Index(tok, `"access_token":"`)+16:]
	tok = tok[:strings.IndexByte(tok, '"')]
	req, _ = http.NewRequestWithContext(context.Background(), http.MethodGet,
		srv.URL+"/organizations/"+workivatest.OrganizationID+"/activities?$maxpagesize="+strconv.Itoa(n), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Version", workivatest.APIVersion)
	return []byte(getBody(t, req))
}

func getBody(t testing.TB, req *http.Request) string {
	t.Helper()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s %v: %s", req.Method, req.URL.Path, resp.Status, err, b)
	}
	return string(b)
}

func stdActivityPage(body []byte) ([]Activity, *string, error) {
	return decodeStd(body, MaxPageSize, activities)
}

const specListPage = `{"data": [` + specActivity + `], "@nextLink": "/organizations/x/activities?$next=abc"}`

// The fast path reads the pages the API sends (the fake's, the
// documentation's example) to encoding/json's values: it is not silently
// falling back.
func TestActivityPageFastReadsTheCommonShape(t *testing.T) {
	for name, body := range map[string][]byte{
		"fake":        fakeActivityPage(t, 50),
		"spec":        []byte(specListPage),
		"empty":       []byte(`{"data": []}`),
		"description": []byte(`{"data": [{"id": "a", "description": "d"}, {"summary": "s", "description": "d"}, {"summary": "", "description": "d"}, {"summary": null, "description": null}]}`),
		"nulls":       []byte(`{"data": [null, {"id": null, "targets": null, "tags": [], "attachments": [null, 1, "x"], "workspace": null, "organization": {"id": "o", "status": "active"}}], "@nextLink": null}`),
	} {
		items, next, ok := decodeActivityPageFast(body, MaxPageSize)
		if !ok {
			t.Errorf("%s: the fast path gave up", name)
			continue
		}
		wantItems, wantNext, err := stdActivityPage(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(items, wantItems) || !reflect.DeepEqual(next, wantNext) {
			t.Errorf("%s: fast %+v %v\nstd %+v %v", name, items, next, wantItems, wantNext)
		}
	}
	items, next, _ := decodeActivityPageFast(fakeActivityPage(t, 50), MaxPageSize)
	if len(items) != 50 || next == nil || items[0].Performer.IPAddress == "" || strings.TrimSpace(items[0].Performer.IPAddress) != items[0].Performer.IPAddress {
		t.Fatalf("fake page: %d items, next %v, first %+v", len(items), next, items[0])
	}
}

// Off the common shape, the page is encoding/json's: the same values, the
// same errors; a rare part (an organization with its creation) is read with
// encoding/json on its own.
func TestActivityPageFallsBack(t *testing.T) {
	for _, body := range []string{
		`{"data": [{"id": "a", "ID": "b"}]}`,
		`{"data": [{"id": "a"}], "data": [{"summary": "s"}]}`,
		`{"data": [{"targets": [{"id": "a", "type": "t"}], "targets": [{"id": "b"}]}]}`,
		`{"data": [{"summary": "\udc00"}]}`,
		"{\"data\": [{\"summary\": \"\xfe\"}]}",
		`{"data": [{"activityDateTime": "2021-01-30"}]}`,
		`{"data": [{"action": {"deprecated": "no"}}]}`,
		`{"data": {}}`,
		`{"data": []} {}`,
		`null`,
		`[]`,
	} {
		items, next, err := decodeActivityPage([]byte(body), MaxPageSize)
		wantItems, wantNext, wantErr := stdActivityPage([]byte(body))
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(items, wantItems) || !reflect.DeepEqual(next, wantNext) {
			t.Errorf("%s: got %+v %v %v; want %+v %v %v", body, items, next, err, wantItems, wantNext, wantErr)
		}
		if _, _, ok := decodeActivityPageFast([]byte(body), MaxPageSize); ok {
			t.Errorf("%s: the fast path took it", body)
		}
	}
	// Sub-values read again with encoding/json: the page stays on the fast path.
	body := `{"data": [{"id": "a", "organization": {"id": "o", "created": {"dateTime": "2020-01-01T00:00:00Z", "user": {"id": "u"}}},` +
		` "workspace": {"id": "w", "solutions": [{"id": "60", "name": null}], "Name": "n\ud800"}}]}`
	items, _, ok := decodeActivityPageFast([]byte(body), MaxPageSize)
	want, _, err := stdActivityPage([]byte(body))
	if !ok || err != nil || !reflect.DeepEqual(items, want) || items[0].Organization.Created.User.ID != "u" || items[0].Workspace.Name != "n\ufffd" {
		t.Errorf("got %v %+v, want %+v (%v)", ok, items, want, err)
	}
}

// FuzzActivityPageDifferential: decodeActivityPage (the fast path, falling
// back to encoding/json) gives encoding/json's result on every input.
func FuzzActivityPageDifferential(f *testing.F) {
	f.Add(fakeActivityPage(f, 1))
	f.Add([]byte(specListPage))
	f.Add([]byte(`{"data": [{"summary": "", "description": "d"}, {"description": null, "summary": "s"}]}`))
	f.Add([]byte(`{"data": [null, {"id": null, "targets": null, "tags": [null, "t"], "attachments": [null, 1, "x"], "workspace": {"name": "w"}, "organization": {"id": "o", "status": "active", "modified": null}}], "@nextLink": null}`))
	f.Add([]byte(`{"data": [{"action": {"id": "a", "deprecated": true}, "performer": {"ipAddress": " \u0031\t"}, "outcome": "x\"y", "extra": [1.5e3, {"a": false}]}], "@nextLink": "x"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		items, next, err := decodeActivityPage(body, MaxPageSize)
		wantItems, wantNext, wantErr := stdActivityPage(body)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, encoding/json's %v", err, wantErr)
		}
		if !reflect.DeepEqual(items, wantItems) || !reflect.DeepEqual(next, wantNext) {
			t.Fatalf("decoded\n%#v %v\nencoding/json\n%#v %v", items, next, wantItems, wantNext)
		}
	})
}

// The fast path reads every field encoding/json reads: a field added to a
// model without its decoder would otherwise be dropped silently.
func TestActivityPageFastKnowsEveryField(t *testing.T) {
	for _, c := range []struct {
		typ   reflect.Type
		names []string
	}{
		{reflect.TypeFor[activityWire](), activityNames.Names()},
		{reflect.TypeFor[ActivityAction](), actionNames.Names()},
		{reflect.TypeFor[plainPerformer](), performerNames.Names()},
		{reflect.TypeFor[Target](), targetNames.Names()},
	} {
		if got := jsondec.JSONNames(c.typ); !sameSet(got, c.names) {
			t.Errorf("%s: encoding/json reads %v, the fast path %v", c.typ, got, c.names)
		}
	}
}

func sameSet(a, b []string) bool {
	return reflect.DeepEqual(sorted(a), sorted(b))
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	slices.Sort(s)
	return s
}

// BenchmarkDecodeActivityPageFast decodes one page of 1000 activities from
// the fake, from memory.
func BenchmarkDecodeActivityPageFast(b *testing.B) {
	body := fakeActivityPage(b, MaxPageSize)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, _, ok := decodeActivityPageFast(body, MaxPageSize); !ok {
			b.Fatal("the fast path gave up")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*MaxPageSize), "ns/item")
}
