package compare

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-faster/jx"
	jsonv2 "github.com/go-json-experiment/json"

	"github.com/activitysdk/activity-go/benchmarks/compare/wkogen"
	"github.com/activitysdk/activity-go/workiva"
)

// The decoders on their own: one page of 1000 Workiva activities from the
// fixture, decoded from memory, ns and allocations per item. The SDK's
// decoder is unexported; it is measured through a walk whose transport
// answers from memory (BenchmarkInMemoryWalk), against the other clients on
// the same transport.
//
//	go test -run '^$' -bench 'DecodePage|InMemoryWalk' -benchmem

func BenchmarkDecodePage(b *testing.B) {
	for _, size := range []itemSize{small, large} {
		s := newWorkivaServer(b, pageSize, size)
		page := s.pages[0]
		run := func(name string, decode func() error) {
			b.Run(string(size)+"/"+name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(page)))
				for b.Loop() {
					if err := decode(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pageSize), "ns/item")
			})
		}
		run("encoding-json-plain", func() error {
			var p struct {
				Data     []plainActivity `json:"data"`
				NextLink string          `json:"@nextLink"`
			}
			return json.Unmarshal(page, &p)
		})
		run("go-json-experiment-v2-plain", func() error {
			var p struct {
				Data     []plainActivity `json:"data"`
				NextLink string          `json:"@nextLink"`
			}
			return jsonv2.Unmarshal(page, &p)
		})
		run("jx-ogen", func() error {
			var p wkogen.ActivitiesListResult
			if err := p.Decode(jx.DecodeBytes(page)); err != nil {
				return err
			}
			return p.Validate()
		})
	}
}

// memTransport answers every request with the fixture's handler, in memory.
type memTransport struct{ h http.HandlerFunc }

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func BenchmarkInMemoryWalk(b *testing.B) {
	const items = 20 * pageSize
	for _, size := range []itemSize{small, large} {
		s := newWorkivaServer(b, items, size)
		hc := &http.Client{Transport: memTransport{s.serve}}
		sdk, err := workiva.NewClient(workiva.WithBaseURL(s.URL), workiva.WithHTTPClient(hc),
			workiva.WithClientCredentials("compare-id", "compare-secret"))
		if err != nil {
			b.Fatal(err)
		}
		oc, err := newOgenClient(s.URL, hc)
		if err != nil {
			b.Fatal(err)
		}
		for _, w := range []walker{
			{"activity-go", func(ctx context.Context) (tally, error) {
				var t tally
				for a, err := range sdk.ListOrganizationActivities(ctx, orgID, &workiva.ListActivitiesParams{PageSize: pageSize}).All() {
					if err != nil {
						return t, err
					}
					tallyWorkiva(&t, a.ID, a.Action.Alias, a.Performer.DisplayName, len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary)
				}
				return t, nil
			}},
			{"ogen", func(ctx context.Context) (tally, error) {
				var t tally
				err := ogenWorkiva(ctx, oc, func(a *wkogen.Activity) {
					tallyWorkiva(&t, a.ID, a.Action.Alias.Or(""), a.Performer.DisplayName.Or(""), len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary.Or(""))
				})
				return t, err
			}},
			{"plain", func(ctx context.Context) (tally, error) {
				var t tally
				err := plainWorkiva(ctx, hc, s.URL, func(a *plainActivity) {
					tallyWorkiva(&t, a.ID, a.Action.Alias, a.Performer.DisplayName, len(a.Targets), a.ActivityDateTime, len(a.Tags), a.Summary)
				})
				return t, err
			}},
		} {
			b.Run(string(size)+"/"+w.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					t, err := w.walk(context.Background())
					if err != nil || t.n != items {
						b.Fatalf("%d items, %v", t.n, err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*items), "ns/item")
			})
		}
	}
}
