package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The plain loops: what a Go team writes without an SDK. net/http with the
// standard transport, json.NewDecoder on the body, plain structs with the
// wire's fields, every link or cursor followed as sent.

type (
	plainActivity struct {
		ID               string            `json:"id"`
		Action           plainAction       `json:"action"`
		ActivityDateTime time.Time         `json:"activityDateTime"`
		Performer        plainPerformer    `json:"performer"`
		Targets          []plainTarget     `json:"targets"`
		Summary          string            `json:"summary"`
		Outcome          string            `json:"outcome"`
		Organization     *plainOrg         `json:"organization"`
		Workspace        *plainOrg         `json:"workspace"`
		Tags             []string          `json:"tags"`
		Attachments      []json.RawMessage `json:"attachments"`
	}
	plainAction struct {
		ID         string `json:"id"`
		Alias      string `json:"alias"`
		Name       string `json:"name"`
		Category   string `json:"category"`
		Deprecated bool   `json:"deprecated"`
	}
	plainPerformer struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		DisplayName string `json:"displayName"`
		UniqueName  string `json:"uniqueName"`
		IPAddress   string `json:"ipAddress"`
	}
	plainTarget struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		DisplayName string `json:"displayName"`
		UniqueName  string `json:"uniqueName"`
	}
	plainOrg struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
)

// plainLogEntry is an ActivTrak activity-log record (public contract).
// Timestamps are kept as text, as a plain struct would keep the early-access
// "date" (no zone, which time.Time does not decode): cheaper than the SDK,
// which parses time_utc.
type plainLogEntry struct {
	LogID                     int64   `json:"logId"`
	Productivity              int     `json:"productivity"`
	PopupAlarm                *bool   `json:"popupAlarm"`
	EmailAlarm                *bool   `json:"emailAlarm"`
	ExternalNotificationAlarm *bool   `json:"externalNotificationAlarm"`
	Terminate                 *bool   `json:"terminate"`
	Date                      string  `json:"date"`
	Time                      string  `json:"time"`
	TimeUTC                   string  `json:"time_utc"`
	TimeZone                  string  `json:"time_zone"`
	ComputerID                int64   `json:"computerId"`
	Computer                  string  `json:"computer"`
	PrimaryDomain             string  `json:"primaryDomain"`
	PrivateIP                 string  `json:"privateIp"`
	PublicIP                  string  `json:"publicIp"`
	LoginDomain               string  `json:"loginDomain"`
	User                      string  `json:"user"`
	Session                   int64   `json:"session"`
	Duration                  float64 `json:"duration"`
	ApplicationID             int64   `json:"applicationId"`
	WebsiteID                 *int64  `json:"websiteId"`
	Executable                string  `json:"executable"`
	Description               string  `json:"description"`
	URL                       string  `json:"url"`
	ScreenshotURL             *string `json:"screenshotUrl"`
	TitleBar                  string  `json:"titleBar"`
	Website                   string  `json:"website"`
	Subpage                   string  `json:"subpage"`
	Location                  string  `json:"location"`
}

// plainSDActivity is an SD Elements activity.
type plainSDActivity struct {
	ID       int64           `json:"id"`
	Name     string          `json:"name"`
	Actor    *int64          `json:"actor"`
	Text     string          `json:"text"`
	Date     time.Time       `json:"date"`
	Data     json.RawMessage `json:"data"`
	Icon     string          `json:"icon"`
	LogLevel string          `json:"log_level"`
}

// newPlainClient is the http.Client of the plain loops: the standard
// transport with keep-alive, as a careful integrator would build it.
func newPlainClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16 // as the SDK's default transport
	return &http.Client{Transport: t, Timeout: time.Minute}
}

// getJSON is the plain loops' request: GET u with header, a 200 answer
// decoded from the body with json.Decoder into out.
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

// plainWorkiva walks the activities: $maxpagesize on the first request, then
// every @nextLink as sent, until a page has none.
func plainWorkiva(ctx context.Context, hc *http.Client, base string, visit func(*plainActivity)) error {
	next := base + listPath + "?$maxpagesize=" + strconv.Itoa(pageSize)
	header := bearerHeader()
	for next != "" {
		var page struct {
			Data     []plainActivity `json:"data"`
			NextLink string          `json:"@nextLink"`
		}
		if err := getJSON(ctx, hc, next, header, &page); err != nil {
			return err
		}
		for i := range page.Data {
			visit(&page.Data[i])
		}
		next = page.NextLink
	}
	return nil
}

// plainActivTrak walks the log like the SDK: startDate and pageSize, then the
// cursor each answer returns, until a page comes back empty.
func plainActivTrak(ctx context.Context, hc *http.Client, base, startDate, apiKey string, visit func(*plainLogEntry)) error {
	first := base + "/reports/v2/activitylog?pageSize=" + strconv.Itoa(pageSize) + "&startDate=" + startDate
	header := http.Header{"x-api-key": {apiKey}, "Accept": {"application/json"}}
	u := first
	for {
		var page struct {
			Activity []plainLogEntry `json:"activity"`
			Cursor   string          `json:"cursor"`
		}
		if err := getJSON(ctx, hc, u, header, &page); err != nil {
			return err
		}
		if len(page.Activity) == 0 {
			return nil
		}
		for i := range page.Activity {
			visit(&page.Activity[i])
		}
		u = first + "&cursor=" + url.QueryEscape(page.Cursor)
	}
}

// plainSDElements walks the activities: page_size on the first request,
// then every "next" as sent, until it is null.
func plainSDElements(ctx context.Context, hc *http.Client, base, token string, visit func(*plainSDActivity)) error {
	next := base + "/api/v2/activities/?page_size=" + strconv.Itoa(pageSize)
	header := http.Header{"Authorization": {"Token " + token}, "Accept": {"application/json"}}
	for next != "" {
		var page struct {
			Next    *string           `json:"next"`
			Results []plainSDActivity `json:"results"`
		}
		if err := getJSON(ctx, hc, next, header, &page); err != nil {
			return err
		}
		for i := range page.Results {
			visit(&page.Results[i])
		}
		next = ""
		if page.Next != nil {
			next = *page.Next
		}
	}
	return nil
}
