package close

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

var reportPath = core.Path("report", "activity", "")

// GetActivityReport requests an activity report (POST /report/activity/) and
// decodes it. The request changes nothing on the server, so it is retried
// like a GET (connection errors, 429, 5xx) under the RetryPolicy; on 429 the
// wait is Close's hint (see RateLimit). Bad params give a *ValidationError
// before anything is sent; a non-2xx answer gives an *APIError.
func (c *Client) GetActivityReport(ctx context.Context, params *ActivityReportParams) (*ActivityReport, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	req := &core.Request{Method: http.MethodPost, Path: reportPath, JSON: params.body(), Retryable: true, ExpectJSON: true,
		Header: params.header(nil)}
	resp, err := c.do(ctx, GroupActivityReport, req)
	if err != nil {
		return nil, err
	}
	defer resp.Release()
	rep, err := decodeReport(resp.Body, params.Type)
	if err != nil {
		return nil, c.decodeError(req, resp, err)
	}
	return rep, nil
}

// GetActivityReportCSV requests the same report as GetActivityReport with
// "Accept: text/csv" and returns the answer's body unread, for the caller to
// stream and close. The columns are Close's (undocumented); read them from
// the header line. The body is read under ctx: keep it alive until the body
// is closed. Errors are as for GetActivityReport; a connection that breaks
// while the body is read surfaces as a read error. The stream is not capped
// by WithMaxBodyBytes: the caller reads it at its own pace.
func (c *Client) GetActivityReportCSV(ctx context.Context, params *ActivityReportParams) (io.ReadCloser, error) {
	if err := params.validate(); err != nil {
		return nil, err
	}
	req := &core.Request{Method: http.MethodPost, Path: reportPath, JSON: params.body(), Retryable: true,
		Header: params.header(http.Header{"Accept": {"text/csv"}}), Stream: true}
	resp, err := c.do(ctx, GroupActivityReport, req)
	if err != nil {
		return nil, err
	}
	return resp.Stream, nil
}

// decodeError is the *RequestError for a 2xx answer to req whose body does
// not decode.
func (c *Client) decodeError(req *core.Request, resp *core.Response, err error) error {
	return c.core.DecodeError(req, resp.Attempts, fmt.Errorf("decoding response: %w", err))
}

// decodeReport decodes Close's report answer leniently.
func decodeReport(body []byte, typ ReportType) (*ActivityReport, error) {
	var wire struct {
		Aggregations struct {
			Totals map[string]json.RawMessage `json:"totals"`
		} `json:"aggregations"`
		Data   []map[string]json.RawMessage `json:"data"`
		Lookup struct {
			User map[string]json.RawMessage `json:"user"`
		} `json:"lookup"`
	}
	if err := json.Unmarshal(body, &wire); err != nil {
		return nil, err
	}
	rep := &ActivityReport{Type: typ, Raw: append(json.RawMessage(nil), body...)}
	if wire.Aggregations.Totals != nil {
		rep.Totals = make(map[string]float64, len(wire.Aggregations.Totals))
		for k, raw := range wire.Aggregations.Totals {
			switch v, kind := number(raw); kind {
			case isNumber:
				rep.Totals[k] = v
			case isNull:
				rep.TotalNulls = append(rep.TotalNulls, k)
			}
		}
		sort.Strings(rep.TotalNulls)
	}
	rep.Rows = make([]ReportRow, 0, len(wire.Data))
	for i, m := range wire.Data {
		row := ReportRow{Values: make(map[string]float64, len(m))}
		for k, raw := range m {
			switch k {
			case "datetime":
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					return nil, fmt.Errorf("data[%d].datetime: not a string: %s", i, snippet(raw))
				}
				t, err := parseDatetime(s)
				if err != nil {
					return nil, fmt.Errorf("data[%d].datetime: %w", i, err)
				}
				row.Datetime = t
				continue
			case "user_id":
				if json.Unmarshal(raw, &row.UserID) == nil {
					continue
				}
			}
			switch v, kind := number(raw); kind {
			case isNumber:
				row.Values[k] = v
			case isNull:
				row.Nulls = append(row.Nulls, k)
			default:
				if row.Extra == nil {
					row.Extra = map[string]json.RawMessage{}
				}
				row.Extra[k] = raw
			}
		}
		sort.Strings(row.Nulls)
		rep.Rows = append(rep.Rows, row)
	}
	if len(wire.Lookup.User) > 0 {
		rep.users = make(map[string]string, len(wire.Lookup.User))
		for id, raw := range wire.Lookup.User {
			rep.users[id] = displayName(raw)
		}
	}
	return rep, nil
}

type numKind int

const (
	notNumber numKind = iota
	isNumber
	isNull
)

// number reads a JSON number (or null). Strings are not numbers.
func number(raw json.RawMessage) (float64, numKind) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return 0, isNull
	}
	if len(raw) == 0 || !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, notNumber
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		return 0, notNumber
	}
	return f, isNumber
}

// parseDatetime reads RFC 3339 (Close's form), or a zoneless date-time or a
// date, taken as UTC.
func parseDatetime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %q", s)
}

// displayName reads a lookup.user entry: its "display", else "display_name",
// else "name", else first and last name, else the entry itself when it is a
// string.
func displayName(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var u struct {
		Display     string `json:"display"`
		DisplayName string `json:"display_name"`
		Name        string `json:"name"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
	}
	if json.Unmarshal(raw, &u) != nil {
		return ""
	}
	return cmp.Or(u.Display, u.DisplayName, u.Name, strings.TrimSpace(u.FirstName+" "+u.LastName))
}

func snippet(raw json.RawMessage) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "..."
	}
	return string(raw)
}
