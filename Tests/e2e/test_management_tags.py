"""TagResource, UntagResource and GetTags on API and stage ARNs."""
from management_helpers import aws_error, cli_json, signed_request


def test_api_and_stage_tags_boto3(fresh):
    client = fresh.client()
    api_id = client.create_api(Name="tagged", ProtocolType="HTTP", Tags={"a": "1"})["ApiId"]
    client.create_stage(ApiId=api_id, StageName="dev")
    api_arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}"
    stage_arn = f"{api_arn}/stages/dev"
    assert client.tag_resource(ResourceArn=api_arn, Tags={"b": "2"})["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert client.get_tags(ResourceArn=api_arn)["Tags"] == {"a": "1", "b": "2"}
    assert client.get_api(ApiId=api_id)["Tags"] == {"a": "1", "b": "2"}
    assert client.untag_resource(ResourceArn=api_arn, TagKeys=["a", "missing"])["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert client.get_tags(ResourceArn=api_arn)["Tags"] == {"b": "2"}
    client.tag_resource(ResourceArn=stage_arn, Tags={"stage": "yes"})
    assert client.get_tags(ResourceArn=stage_arn)["Tags"] == {"stage": "yes"}
    assert client.get_stage(ApiId=api_id, StageName="dev")["Tags"] == {"stage": "yes"}


def test_tags_cli(fresh):
    api_id = cli_json(fresh, "create-api", "--name", "t", "--protocol-type", "HTTP")["ApiId"]
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}"
    cli_json(fresh, "tag-resource", "--resource-arn", arn, "--tags", "k1=v1,k2=v2")
    assert cli_json(fresh, "get-tags", "--resource-arn", arn)["Tags"] == {"k1": "v1", "k2": "v2"}
    cli_json(fresh, "untag-resource", "--resource-arn", arn, "--tag-keys", "k1")
    assert cli_json(fresh, "get-tags", "--resource-arn", arn)["Tags"] == {"k2": "v2"}


def test_tag_errors(fresh):
    client = fresh.client()
    api_id = client.create_api(Name="t", ProtocolType="HTTP")["ApiId"]
    code, message, status = aws_error(client.get_tags, ResourceArn="arn:aws:apigateway:us-east-1::/apis/nope000000")
    assert (code, status, message) == ("NotFoundException", 404, "Invalid API identifier specified 000000000000:nope000000")
    code, _, status = aws_error(client.get_tags, ResourceArn=f"arn:aws:apigateway:us-east-1::/apis/{api_id}/stages/none")
    assert (code, status) == ("NotFoundException", 404)
    code, _, status = aws_error(client.tag_resource, ResourceArn="not-an-arn", Tags={"a": "b"})
    assert (code, status) == ("BadRequestException", 400)
    code, _, status = aws_error(client.tag_resource, ResourceArn=f"arn:aws:apigateway:us-east-1::/apis/{api_id}",
                                Tags={"aws:reserved": "x"})
    assert (code, status) == ("BadRequestException", 400)
    assert client.get_tags(ResourceArn=f"arn:aws:apigateway:us-east-1::/apis/{api_id}")["Tags"] == {}


def test_tag_resource_without_tags_is_a_no_op(fresh):
    """AWS's model requires only the ARN for TagResource; no `tags` member tags nothing."""
    client = fresh.client()
    api_id = client.create_api(Name="t", ProtocolType="HTTP", Tags={"keep": "me"})["ApiId"]
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}"
    response = signed_request(fresh, "POST", f"/v2/tags/{arn.replace('/', '%2F')}", body={})
    assert response.status_code == 201, response.text
    assert client.get_tags(ResourceArn=arn)["Tags"] == {"keep": "me"}
