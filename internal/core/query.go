package core

import (
	"fmt"
	"net/url"

	"github.com/google/go-querystring/query"
)

// Query encodes a tagged wire struct into url.Values with go-querystring
// (`url:"name,omitempty"` tags; `layout:"2006-01-02"` for dates). Names that
// start with "$" are kept as they are and EncodeQuery sends them literally,
// so a field tagged `url:"$maxpagesize,omitempty"` reaches the server as
// "$maxpagesize=..." rather than "%24maxpagesize=...".
func Query(v any) (url.Values, error) {
	q, err := query.Values(v)
	if err != nil {
		return nil, fmt.Errorf("encoding query: %w", err)
	}
	return q, nil
}
