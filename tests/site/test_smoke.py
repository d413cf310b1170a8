def test_home_page_lists_products(client, make):
    group = make.group()
    make.product(group, name="Amplang Ikan Pipih Original", price_idr=12500)
    page = client.get("/").get_data(as_text=True)
    assert "Amplang Ikan Pipih Original" in page
    assert "Rp12.500" in page
