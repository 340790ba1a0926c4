package close

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/activitysdk/activity-go/internal/core"
)

var metricsPath = core.Path("report", "activity", "metrics", "")

// ListActivityMetrics returns Close's catalogue of predefined activity metrics
// (GET /report/activity/metrics/), the keys ActivityReportParams.Metrics
// accepts, in the order sent.
//
// The catalogue's shape is undocumented, so it is read leniently: an object
// with a "data" list or a bare list; items as strings (the key) or objects
// (the key from "key", "id", "metric" or "name"; the label from "label",
// "title", "display_name" or "name"; and "description"). Items without a key
// (null, numbers, objects naming none) are skipped.
func (c *Client) ListActivityMetrics(ctx context.Context) ([]ActivityMetric, error) {
	req := &core.Request{Method: http.MethodGet, Path: metricsPath, ExpectJSON: true}
	resp, err := c.do(ctx, GroupActivityMetrics, req)
	if err != nil {
		return nil, err
	}
	defer resp.Release()
	out, err := decodeMetrics(resp.Body)
	if err != nil {
		return nil, c.decodeError(req, resp, err)
	}
	return out, nil
}

func decodeMetrics(body []byte) ([]ActivityMetric, error) {
	body = bytes.TrimSpace(body)
	var items []json.RawMessage
	switch {
	case len(body) > 0 && body[0] == '[':
		if err := json.Unmarshal(body, &items); err != nil {
			return nil, err
		}
	case len(body) > 0 && body[0] == '{':
		var env struct {
			Data    []json.RawMessage `json:"data"`
			Metrics []json.RawMessage `json:"metrics"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, err
		}
		items = env.Data
		if items == nil {
			items = env.Metrics
		}
	default:
		return nil, errors.New("metrics catalogue is neither a list nor an object with \"data\"")
	}
	out := make([]ActivityMetric, 0, len(items))
	for _, raw := range items {
		if m, ok := decodeMetric(raw); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

func decodeMetric(raw json.RawMessage) (ActivityMetric, bool) {
	raw = bytes.TrimSpace(raw)
	m := ActivityMetric{Raw: append(json.RawMessage(nil), raw...)}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		m.Key = s
		return m, s != ""
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return m, false
	}
	str := func(k string) string {
		var v string
		_ = json.Unmarshal(obj[k], &v)
		return v
	}
	keyFrom := ""
	for _, k := range []string{"key", "id", "metric", "name"} {
		if v := str(k); v != "" {
			m.Key, keyFrom = v, k
			break
		}
	}
	for _, k := range []string{"label", "title", "display_name", "name"} {
		if k == keyFrom {
			continue
		}
		if v := str(k); v != "" {
			m.Label = v
			break
		}
	}
	m.Description = str("description")
	return m, m.Key != ""
}
