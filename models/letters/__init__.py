"""What a document states: letter data, templates, document objects, batches."""
