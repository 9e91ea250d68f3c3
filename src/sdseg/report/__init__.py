"""``sdseg report``: an HTML page of scored predictions, to see where a model fails."""
