"""Uploaded files go to a private S3-compatible bucket only when one is configured."""

import importlib.util

from peerlearn.settings import file_storage


def test_without_a_bucket_files_stay_under_media_root():
    assert file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_bucket_makes_storage_private_s3():
    storage = file_storage(
        {
            "STORAGE_S3_BUCKET": "peerlearn-files",
            "STORAGE_S3_ENDPOINT_URL": "https://s3.example.org",
            "STORAGE_S3_ACCESS_KEY": "key",
            "STORAGE_S3_SECRET_KEY": "secret",
            "STORAGE_S3_REGION": "eu-west-3",
        }
    )

    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "peerlearn-files",
            "endpoint_url": "https://s3.example.org",
            "access_key": "key",
            "secret_key": "secret",
            "region_name": "eu-west-3",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def test_unset_s3_options_are_left_to_the_defaults():
    options = file_storage({"STORAGE_S3_BUCKET": "peerlearn-files"})["OPTIONS"]

    assert (options["endpoint_url"], options["access_key"], options["region_name"]) == (
        None,
        None,
        None,
    )


def test_the_s3_backend_named_is_installed():
    # Found without being imported: importing it needs boto3, which only the `s3` extra adds.
    assert importlib.util.find_spec("storages.backends.s3") is not None
