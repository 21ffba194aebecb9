enum S3ClientPlaceholder {}
