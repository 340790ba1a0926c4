package close_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	closeapi "github.com/activitysdk/activity-go/close"
	"github.com/activitysdk/activity-go/close/closetest"
)

func TestListActivityMetricsShapes(t *testing.T) {
	t.Parallel()
	cat := closetest.Catalogue()
	for _, shape := range []closetest.CatalogueShape{closetest.DataObjects, closetest.BareObjects, closetest.DataStrings, closetest.BareStrings} {
		srv := newFake(t, closetest.WithCatalogueShape(shape))
		c := newClient(t, srv)
		got, err := c.ListActivityMetrics(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(cat) {
			t.Fatalf("shape %d: %d metrics, want %d", shape, len(got), len(cat))
		}
		objects := shape == closetest.DataObjects || shape == closetest.BareObjects
		for i, m := range got {
			want := closeapi.ActivityMetric{Key: cat[i].Key}
			if objects {
				want.Label, want.Description = cat[i].Label, cat[i].Description
			}
			if m.Key != want.Key || m.Label != want.Label || m.Description != want.Description || len(m.Raw) == 0 {
				t.Errorf("shape %d item %d = %+v, want %+v", shape, i, m, want)
			}
		}
		r, _ := srv.LastRequest()
		if r.Method != "GET" || r.RawPath != "/api/v1/report/activity/metrics/" || r.Header.Get("Accept") != "application/json" {
			t.Errorf("request %s %s", r.Method, r.RawPath)
		}
		if rl, ok := c.LastRateLimit(closeapi.GroupActivityMetrics); !ok || rl.Limit != 100 || rl.Remaining != 99 {
			t.Errorf("LastRateLimit %+v %v", rl, ok)
		}
	}
}

func TestListActivityMetricsLenient(t *testing.T) {
	t.Parallel()
	c := lenientServer(t, 200, `{"data": [
		"calls.outbound.all.count",
		{"id": "emails.sent.all.count", "name": "Emails sent"},
		{"metric": "sms.sent.all.count", "title": "SMS", "description": "Texts"},
		{"name": "notes.created.all.count", "display_name": "Notes"},
		{"label": "no key"}, null, 42, ""]}`)
	got, err := c.ListActivityMetrics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []closeapi.ActivityMetric{
		{Key: "calls.outbound.all.count"},
		{Key: "emails.sent.all.count", Label: "Emails sent"},
		{Key: "sms.sent.all.count", Label: "SMS", Description: "Texts"},
		{Key: "notes.created.all.count", Label: "Notes"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d metrics: %+v", len(got), got)
	}
	for i := range want {
		g := got[i]
		g.Raw = nil
		if !reflect.DeepEqual(g, want[i]) {
			t.Errorf("item %d = %+v, want %+v", i, g, want[i])
		}
	}
	if string(got[0].Raw) != `"calls.outbound.all.count"` {
		t.Errorf("Raw = %s", got[0].Raw)
	}
	c = lenientServer(t, 200, `{"metrics": ["a"]}`)
	if got, err := c.ListActivityMetrics(context.Background()); err != nil || len(got) != 1 || got[0].Key != "a" {
		t.Errorf("metrics envelope: %+v %v", got, err)
	}
	for _, body := range []string{`"just a string"`, `[1, 2`, `{"data": 5}`, ``} {
		c = lenientServer(t, 200, body)
		_, err := c.ListActivityMetrics(context.Background())
		var re *closeapi.RequestError
		if !errors.As(err, &re) || re.Method != "GET" {
			t.Errorf("%q: err = %v, want *RequestError", body, err)
		}
	}
}
