package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// pageSize is the page size of every walk: the maximum of both APIs.
const pageSize = 1000

// tally is what a walk's consumer computes from every item: the count and a
// checksum over fields from all levels of the struct, so that no decoded
// field can be skipped and a raw walk and an SDK walk can be compared.
type tally struct {
	n   int
	sum uint64
}

func (t *tally) activity(a workiva.Activity) {
	t.n++
	t.sum += uint64(len(a.ID)+len(a.Action.Alias)+len(a.Performer.IPAddress)+len(a.Targets)) +
		uint64(a.ActivityDateTime.Unix())
}

func (t *tally) logEntry(e activtrak.ActivityLogEntry) {
	t.n++
	t.sum += uint64(e.LogID) + uint64(len(e.User)+len(e.Description)+len(e.URL)) + uint64(e.Time.Unix())
}

// newRawClient is the http.Client of the hand-written loops: the standard
// transport with keep-alive, as a careful integrator would build it.
func newRawClient(tb testing.TB) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16 // as the SDK's default transport
	tb.Cleanup(t.CloseIdleConnections)
	return &http.Client{Transport: t, Timeout: time.Minute}
}

// getJSON is the raw loops' request: GET url with the given headers, a 200
// answer decoded from the body with json.Decoder into out.
func getJSON(ctx context.Context, hc *http.Client, u string, header http.Header, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("GET %s: decoding: %w", u, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // keep the connection reusable
	return nil
}

// ---- Workiva ----

// workivaBench is one Workiva fake with an SDK client and a raw client.
type workivaBench struct {
	srv    *workivatest.Server
	base   string // the fake's URL, or the replay's in front of it
	sdk    *workiva.Client
	raw    *http.Client
	header http.Header // the raw loop's headers, token included
}

// newWorkivaBench starts a fake with items activities, behind a replay
// when viaReplay is set.
func newWorkivaBench(tb testing.TB, items int, viaReplay bool) *workivaBench {
	tb.Helper()
	var rp *replay
	srvOpts := []workivatest.Option{workivatest.WithActivities(items)}
	if viaReplay {
		rp = newReplay(tb)
		srvOpts = append(srvOpts, workivatest.WithNextLinkBase(rp.URL))
	}
	srv := workivatest.NewServer(srvOpts...)
	tb.Cleanup(srv.Close)
	base := srv.URL
	if rp != nil {
		rp.setTarget(srv.URL)
		base = rp.URL
	}
	sdk, err := workiva.NewClient(workiva.WithBaseURL(base),
		workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
	if err != nil {
		tb.Fatal(err)
	}
	w := &workivaBench{srv: srv, base: base, sdk: sdk, raw: newRawClient(tb)}
	tok, err := w.rawToken(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	w.header = http.Header{
		"Authorization": {"Bearer " + tok},
		"X-Version":     {workivatest.APIVersion},
		"Accept":        {"application/json"},
		"User-Agent":    {"raw-loop"},
	}
	return w
}

// rawToken fetches one access token from the fake's token endpoint, as the
// raw loop's author would: client credentials in the form body, as the
// 2026-01-01 document has them.
func (w *workivaBench) rawToken(ctx context.Context) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {workivatest.ClientID},
		"client_secret": {workivatest.ClientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base+workivatest.TokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := w.raw.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" {
		return "", fmt.Errorf("token endpoint: %s (%v)", resp.Status, err)
	}
	return tok.AccessToken, nil
}

// walkSDK walks the organization's activities with the SDK.
func (w *workivaBench) walkSDK(ctx context.Context, visit func(workiva.Activity)) error {
	params := &workiva.ListActivitiesParams{PageSize: pageSize}
	for a, err := range w.sdk.ListOrganizationActivities(ctx, workivatest.OrganizationID, params).All() {
		if err != nil {
			return err
		}
		visit(a)
	}
	return nil
}

// walkRaw walks the same list by hand: $maxpagesize and the ascending order
// the SDK sends (a feed continues in it) on the first request, then every
// @nextLink as sent, until a page has none.
func (w *workivaBench) walkRaw(ctx context.Context, visit func(workiva.Activity)) error {
	next := w.base + "/organizations/" + workivatest.OrganizationID + "/activities?$maxpagesize=" + strconv.Itoa(pageSize) +
		"&$orderBy=activityDateTime+asc"
	for next != "" {
		var page struct {
			Data     []workiva.Activity `json:"data"`
			NextLink string             `json:"@nextLink"`
		}
		if err := getJSON(ctx, w.raw, next, w.header, &page); err != nil {
			return err
		}
		for i := range page.Data {
			visit(page.Data[i])
		}
		next = page.NextLink
	}
	return nil
}

// ---- ActivTrak ----

// activtrakBench is one ActivTrak fake with an SDK client and a raw client.
type activtrakBench struct {
	srv    *activtraktest.Server
	base   string // the fake's URL, or the replay's in front of it
	sdk    *activtrak.Client
	raw    *http.Client
	header http.Header
}

// activtrakDays is how the log of an activtrakBench is laid out: records
// spread over this many days (items must be a multiple).
const activtrakDays = 10

// newActivTrakBench starts a fake whose log holds items records, behind a
// replay when viaReplay is set.
func newActivTrakBench(tb testing.TB, items int, viaReplay bool, sdkOpts ...activtrak.Option) *activtrakBench {
	tb.Helper()
	if items%activtrakDays != 0 {
		tb.Fatalf("items %d: want a multiple of %d", items, activtrakDays)
	}
	srv := activtraktest.NewServer(
		activtraktest.WithDays(activtrakDays),
		activtraktest.WithRecordsPerDay(items/activtrakDays),
		activtraktest.WithLogLimit(100), // the fake's request log must not grow with the walk
	)
	tb.Cleanup(srv.Close)
	if srv.LogLen() != items {
		tb.Fatalf("fake holds %d records, want %d", srv.LogLen(), items)
	}
	base := srv.URL
	if viaReplay {
		rp := newReplay(tb)
		rp.setTarget(srv.URL)
		base = rp.URL
	}
	opts := append([]activtrak.Option{
		activtrak.WithBaseURL(base),
		activtrak.WithAPIKey(activtraktest.APIKey),
	}, sdkOpts...)
	sdk, err := activtrak.NewClient(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return &activtrakBench{srv: srv, base: base, sdk: sdk, raw: newRawClient(tb), header: http.Header{
		"x-api-key":  {activtraktest.APIKey},
		"Accept":     {"application/json"},
		"User-Agent": {"raw-loop"},
	}}
}

func (a *activtrakBench) walkSDK(ctx context.Context, visit func(activtrak.ActivityLogEntry)) error {
	params := &activtrak.ActivityLogParams{StartDate: a.srv.StartDate(), PageSize: pageSize}
	for e, err := range a.sdk.ListActivityLog(ctx, params).All() {
		if err != nil {
			return err
		}
		visit(e)
	}
	return nil
}

// walkRaw walks the log by hand like the SDK: startDate and pageSize, then
// the cursor each answer returns, until a page comes back empty.
func (a *activtrakBench) walkRaw(ctx context.Context, visit func(activtrak.ActivityLogEntry)) error {
	first := a.base + "/reports/v2/activitylog?pageSize=" + strconv.Itoa(pageSize) +
		"&startDate=" + a.srv.StartDate().Format("2006-01-02")
	u := first
	for {
		var page struct {
			Activity []activtrak.ActivityLogEntry `json:"activity"`
			Cursor   string                       `json:"cursor"`
		}
		if err := getJSON(ctx, a.raw, u, a.header, &page); err != nil {
			return err
		}
		if len(page.Activity) == 0 {
			return nil
		}
		for i := range page.Activity {
			visit(page.Activity[i])
		}
		u = first + "&cursor=" + url.QueryEscape(page.Cursor)
	}
}
